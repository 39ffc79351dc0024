import { access } from 'node:fs/promises';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { ModelRef } from '../operations/deployment-record.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { armPredictorFor, itemSchemaOf, loadArmPredictors } from '../serving/declared/arm-predictor.ts';
import { loadDeclaredPredictor } from '../serving/declared/declared-predictor.ts';
import type { TaskPredictor } from '../serving/declared/task-predictor.ts';
import { buildTaskServer } from '../serving/declared/task-server.ts';
import { describeIssues, RequestValidationError } from '../serving/request-issues.ts';
import { listenOn } from '../serving/server-lifecycle.ts';
import { defaultServerOptions, type ServerOptions } from '../serving/server-options.ts';
import { expectedScorePrefix, experimentPaths } from './project-experiments.ts';
import { projectExperimentsToServe, type ServedExperiments } from './project-serving.ts';
import { type ArmPredictor, experimentPlugin } from './serving.ts';

export interface RunningExperimentServer {
  app: FastifyInstance;
  predictor: TaskPredictor;
  url: string;
  /** The experiments mounted (`POST /experiments/<key>/predictions`) and those skipped, with why. */
  experiments: Pick<ServedExperiments, 'experiments' | 'skipped'>;
}

/**
 * A version 2 project's server (`buildTaskServer`) with its started experiments mounted: every
 * arm (and `expected:<model>` covariate) is that model of the deployed run, loaded as the server
 * loads its own (`loadArmPredictors`); a request's `input` is checked against the control arm's
 * request schema before assignment (400, not logged); exposures go to each experiment's log in the
 * project folder. `only` mounts just those keys (refusing an unknown or unstarted one); `clock:
 * 'request'` takes each request's time (replays). Closing the app closes the arms and the logs.
 */
export async function serveProjectWithExperiments(
  workspace: Workspace,
  project: LoadedProject,
  settingsIn: Partial<ServerOptions> = {},
  extra: {
    logger?: FastifyServerOptions['logger'];
    model?: ModelRef;
    pointInTime?: boolean;
    only?: readonly string[];
    clock?: 'server' | 'request';
  } = {},
): Promise<RunningExperimentServer> {
  const slug = project.slug;
  const settings = { ...defaultServerOptions, ...settingsIn };
  const pointInTime = extra.pointInTime ? { pointInTime: true } : {};
  const predictor = await loadDeclaredPredictor(workspace, slug, {
    ...(extra.model ? { model: extra.model } : {}),
    ...pointInTime,
  });
  let app: FastifyInstance | undefined;
  let arms: { close(): void } | undefined;
  let served: ServedExperiments | undefined;
  try {
    app = await buildTaskServer({
      predictor,
      options: settings,
      ...(extra.logger === undefined ? {} : { logger: extra.logger }),
    });
    const declared = (project.file.experiments ?? []).filter(
      (e) => !extra.only || extra.only.includes(e.key),
    );
    const started = [];
    for (const experiment of declared) {
      const registered = await access(experimentPaths(workspace, slug, experiment.key).registration).then(
        () => true,
        () => false,
      );
      if (registered) started.push(experiment);
    }
    const models = new Set(
      started.flatMap((experiment) => [
        ...experiment.arms.map((arm) => arm.model),
        ...(experiment.cupedCovariate?.startsWith(expectedScorePrefix)
          ? [experiment.cupedCovariate.slice(expectedScorePrefix.length)]
          : []),
      ]),
    );
    // The served model's arm is the server's own predictor: one instance (and DuckDB) per model.
    const servedModel = predictor.version.modelId;
    models.delete(servedModel);
    const others = models.size
      ? await loadArmPredictors(workspace, slug, [...models], pointInTime)
      : { arms: {}, predictors: [] as TaskPredictor[], close: () => {} };
    const loaded = {
      arms: { ...others.arms, [servedModel]: armPredictorFor(predictor) } as Record<string, ArmPredictor>,
      predictors: [predictor, ...others.predictors],
      close: others.close,
    };
    arms = loaded;
    served = await projectExperimentsToServe(
      workspace,
      project,
      predictor.task,
      (model) => loaded.arms[model]!,
      {
        ...(extra.only ? { only: extra.only } : {}),
        ...(extra.clock ? { clock: extra.clock } : {}),
      },
    );
    for (const options of served.experiments) {
      const controlModel = options.experiment.arms.find((arm) => arm.control)!.model;
      const control = loaded.predictors.find((p) => p.version.modelId === controlModel)!;
      const schema = itemSchemaOf(control);
      await app.register(experimentPlugin, {
        ...options,
        validate: (input) => {
          const parsed = schema.safeParse(input, { reportInput: true });
          if (!parsed.success) {
            throw new RequestValidationError(describeIssues(schema, parsed.error.issues, 'input'), 'input');
          }
        },
      });
    }
    const closing = served;
    app.addHook('onClose', async () => {
      closing.close();
      loaded.close();
    });
    const url = await listenOn(app, settings);
    return { app, predictor, url, experiments: { experiments: served.experiments, skipped: served.skipped } };
  } catch (error) {
    served?.close();
    arms?.close();
    if (app) await app.close();
    else predictor.close();
    throw error;
  }
}
