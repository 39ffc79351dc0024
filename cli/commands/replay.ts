import { defineCommand } from 'citty';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { projectFileVersion } from '../../portfolio/project-file/any-project.ts';
import { loadProject } from '../../portfolio/project-spec.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { terminalProgress } from '../terminal-progress.ts';
import { requiredProjectArg } from './operations-args.ts';

export const replayCommand = defineCommand({
  meta: {
    name: 'replay',
    description:
      "Version 1: rehearse operations on the project's own data, as if its last season arrived after the model shipped (train and deploy without it, then monitor and retrain). Version 2: send the run's held-out events through a prediction server over HTTP and check every served forecast equals the run's offline one.",
  },
  args: {
    project: requiredProjectArg,
    url: {
      type: 'string',
      description:
        'Version 2: the server to replay through (started with `mlfolio serve <project> --point-in-time`); default: one started for the replay.',
    },
    batch: { type: 'string', description: 'Version 2: events per request (default 32).' },
    experiment: {
      type: 'string',
      description:
        "Version 2: replay the held-out events of the latest run as traffic for this started experiment (its route on the project's server), then join the outcomes and analyse it.",
    },
  },
  async run({ args }) {
    const slug = args.project;
    const workspace = workspaceAt();
    if (args.experiment !== undefined) {
      const { replayExperimentCommand } = await import('./experiment-replay-command.ts');
      await replayExperimentCommand(workspace, slug, args.experiment);
      return;
    }
    if ((await projectFileVersion(workspace, slug)) === 2) {
      const { replayHeldOut } = await import('../../serving/declared/replay-held-out.ts');
      const batch = args.batch === undefined ? undefined : Number(args.batch);
      if (batch !== undefined && !(Number.isInteger(batch) && batch >= 1 && batch <= 10_000)) {
        throw new MlfolioError({
          code: 'E_OPTION_INVALID',
          message: `--batch must be an integer from 1 to 10000; received "${args.batch}".`,
          exitCode: ExitCode.usage,
        });
      }
      const report = await replayHeldOut(workspace, slug, {
        ...(args.url ? { url: args.url } : {}),
        ...(batch ? { batch } : {}),
      });
      const m = report.model;
      console.log(
        `${slug}: ${report.events} held-out events of run ${m.runId} sent to ${report.url} in ${report.requests} requests (${(report.elapsedMs / 1000).toFixed(1)} s); model ${m.modelId}.`,
      );
      console.log(
        `Served = offline for every event: largest difference ${report.largestDifference.toExponential(2)}${report.largestAt ? ` (event ${report.largestAt.id}, ${report.largestAt.time})` : ''}.`,
      );
      if (report.stale || report.unknownEntities) {
        console.log(
          `${report.stale} event(s) read a stale feature; ${report.unknownEntities} named an entity with no history (priors used).`,
        );
      }
      return;
    }
    const project = await loadProject(workspace, slug);
    const { replayLastSeason } = await import('../../operations/replay.ts');
    const outcome = await replayLastSeason(workspace, project, {
      progress: terminalProgress(process.stderr, `[${project.slug}] `),
    });
    const { monitoring, decision } = outcome;
    console.log(
      `${project.slug}: deployed ${outcome.initialRun.best} of run ${outcome.initialRun.runId} (data up to ${outcome.cutoff}).`,
    );
    console.log(`Monitoring: ${monitoring.status.toUpperCase()}`);
    for (const finding of monitoring.findings) console.log(`  - ${finding}`);
    console.log(`Retrain: ${decision.verdict.toUpperCase()} — ${decision.reason}`);
  },
});
