import { join } from 'node:path';
import { defineCommand } from 'citty';
import { listRunIds, readRunRecord, runFileName } from '../../pipelines/runs/run-record.ts';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { type LoadedProject, loadProjectFile } from '../../portfolio/project-file/load.ts';
import { projectPaths, type Workspace, workspaceAt } from '../../portfolio/workspace.ts';
import { logLevels, openRequestLog } from '../../serving/request-log.ts';
import { defaultServerOptions } from '../../serving/server-options.ts';
import { requiredProjectArg } from './operations-args.ts';

export const serveCommand = defineCommand({
  meta: {
    name: 'serve',
    description:
      "Serve a project's promoted model as an HTTP JSON API (predictions with contributions, /health, /openapi.json); its request shape is generated from the project's roles and features. Stops gracefully on Ctrl-C or SIGTERM.",
  },
  args: {
    project: requiredProjectArg,
    host: { type: 'string', description: `Address to bind (default ${defaultServerOptions.host}).` },
    port: { type: 'string', description: `Port (default ${defaultServerOptions.port}; 0 picks a free one).` },
    maxBatch: {
      type: 'string',
      description: `Most predictions per batch request (default ${defaultServerOptions.maxBatch}).`,
    },
    run: {
      type: 'string',
      description: 'Serve a model of this run instead of the deployed one (default: the latest run).',
    },
    model: {
      type: 'string',
      description: 'Serve this model id instead of the deployed one (default: the run’s best).',
    },
    logFile: {
      type: 'string',
      description: 'Append the JSON log to this file (default level info: one line per request).',
    },
    logLevel: {
      type: 'string',
      description: `Log level: ${logLevels.join(', ')} (default warn on stderr, info with --log-file).`,
    },
    quiet: { type: 'boolean', description: 'No log at all.', default: false },
    pointInTime: {
      type: 'boolean',
      description:
        'Serve past events as of their own time, from the run’s events (what `mlfolio replay` sends), instead of only events after the end of the data.',
      default: false,
    },
  },
  async run({ args }) {
    const slug = args.project;
    const workspace = workspaceAt();
    // Loaded first, so that a bad project file is reported before anything else is opened.
    const project = await loadProjectFile(workspace, slug);
    const { closeOnSignals } = await import('../../serving/server-lifecycle.ts');
    const log = await openRequestLog({ file: args.logFile, level: args.logLevel, quiet: args.quiet });
    const host = args.host ?? defaultServerOptions.host;
    if (!/^(127\.|localhost$|::1$)/.test(host)) {
      console.error(
        `Warning: binding to ${host}, which is not a loopback address: the API has no authentication.`,
      );
    }
    const settings = {
      host,
      // A point-in-time batch materialises the store once per event time: seconds, not milliseconds.
      ...(args.pointInTime ? { requestTimeoutMs: 120_000 } : {}),
      port: integerOption('port', args.port, defaultServerOptions.port, 0, 65535),
      maxBatch: integerOption('max-batch', args.maxBatch, defaultServerOptions.maxBatch, 1, 10_000),
    };
    const extra = {
      logger: log.logger,
      ...(args.run || args.model ? { model: await chosenModel(workspace, slug, args.run, args.model) } : {}),
    };
    const { app, predictor, url } = await serveWithExperiments(workspace, project, settings, {
      ...extra,
      pointInTime: args.pointInTime,
    });
    const v = predictor.version;
    console.error(
      `Serving ${v.project}: model ${v.modelId} (${v.label}) of run ${v.runId}, ${v.promotedBy === 'latest-run-best' ? 'best of the latest run' : `promoted by ${v.promotedBy} ${v.promotedAt ?? ''}`.trim()}.`,
    );
    if (log.description) console.error(log.description);
    if ('pointInTime' in predictor && predictor.pointInTime) {
      console.error('Point in time: past events are served as of their own time, from the run’s events.');
    }
    console.log(`Listening on ${url} — POST /v1/predictions, OpenAPI at ${url}/openapi.json. Ctrl-C stops.`);
    await closeOnSignals(app, defaultServerOptions.shutdownGraceMs, (signal) =>
      console.error(`${signal}: finishing in-flight requests, then stopping.`),
    );
    await log.close();
    console.error('Stopped.');
  },
});

/** A project's server with its started experiments mounted (`experiments/serve-experiments.ts`). */
async function serveWithExperiments(
  workspace: Workspace,
  project: LoadedProject,
  settings: Partial<import('../../serving/server-options.ts').ServerOptions>,
  extra: Parameters<typeof import('../../experiments/serve-experiments.ts').serveProjectWithExperiments>[3],
) {
  const { serveProjectWithExperiments } = await import('../../experiments/serve-experiments.ts');
  const { slug } = project;
  const running = await serveProjectWithExperiments(workspace, project, settings, extra);
  for (const { experiment } of running.experiments.experiments) {
    console.error(
      `Experiment ${experiment.key}: POST /experiments/${experiment.key}/predictions (${experiment.arms.map((arm) => `${arm.model} ${arm.traffic}%`).join(', ')}), exposures logged in content/projects/${slug}/experiments/${experiment.key}/.`,
    );
  }
  for (const { key, reason } of running.experiments.skipped) console.error(`Experiment ${key}: ${reason}.`);
  return running;
}

/** The model named by --run/--model: a run (default the latest) and a model (default its best candidate). */
async function chosenModel(
  workspace: Workspace,
  slug: string,
  runId: string | undefined,
  modelId: string | undefined,
) {
  const { runsDir } = projectPaths(workspace, slug);
  const id = runId ?? (await listRunIds(runsDir)).at(-1);
  if (!id) {
    throw new MlfolioError({
      code: 'E_NO_RUN',
      message: `Project "${slug}" has no run in ${runsDir}.`,
      hint: `Run \`mlfolio run ${slug}\` first.`,
    });
  }
  const run = await readRunRecord(join(runsDir, id, runFileName));
  // The best candidate is deployed: a baseline is the yardstick, not the product.
  return { runId: run.runId, runKey: run.key, modelId: modelId ?? run.bestCandidate ?? run.best };
}

function integerOption(
  name: string,
  raw: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new MlfolioError({
      code: 'E_OPTION_INVALID',
      message: `--${name} must be an integer from ${min} to ${max}; received "${raw}".`,
      exitCode: ExitCode.usage,
    });
  }
  return value;
}
