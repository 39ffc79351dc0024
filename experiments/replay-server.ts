import Fastify from 'fastify';
import { loadTaskModel } from '../operations/deployed-task-model.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { heldOutEvents } from '../serving/declared/held-out-replay.ts';
import type { ReplayServer, StartReplayServer } from './experiment-replay.ts';
import { projectExperimentsToServe } from './project-serving.ts';
import { serveProjectWithExperiments } from './serve-experiments.ts';
import { experimentPlugin } from './serving.ts';

/**
 * The experiment `key` alone on a free loopback port, mounted as `mlfolio serve` mounts it
 * (`projectExperimentsToServe`, `experimentPlugin`) with the clock taken from each request, its
 * arms served from the events' recorded point-in-time features (`runArmPredictor`). Lighter than
 * the project's server (`startProjectReplayServer`), for tests and for runs without it.
 */
export const startFeatureReplayServer: StartReplayServer = async ({
  workspace,
  project,
  run,
  key,
  armPredictorFor,
}) => {
  const task =
    run.task.kind === 'regression' || run.task.kind === 'count'
      ? { kind: run.task.kind }
      : { kind: run.task.kind, classes: run.task.classes };
  const served = await projectExperimentsToServe(workspace, project, task, armPredictorFor, {
    only: [key],
    clock: 'request',
  });
  const app = Fastify({ logger: false });
  try {
    for (const options of served.experiments) await app.register(experimentPlugin, options);
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const server: ReplayServer = {
      url,
      inputFor: (event) => ({ features: event.features, asOf: event.time }),
      close: async () => {
        await app.close();
        served.close();
      },
    };
    return server;
  } catch (error) {
    await app.close();
    served.close();
    throw error;
  }
};

/**
 * The project's own server for a replay (`serveProjectWithExperiments`): point in time (each event
 * served from the store as of its own time), the experiment `key` mounted with the clock taken from
 * each request, each event sent as the event itself (time, entities, columns), rebuilt as the run
 * built it (`heldOutEvents`).
 */
export const startProjectReplayServer: StartReplayServer = async ({ workspace, project, run, key }) => {
  const running = await serveProjectWithExperiments(
    workspace,
    project,
    { port: 0 },
    { logger: false, pointInTime: true, only: [key], clock: 'request' },
  );
  try {
    const version = running.predictor.version;
    const loaded = await loadTaskModel(workspace, project.slug, {
      runId: version.runId,
      runKey: version.runKey,
      modelId: version.modelId,
    });
    if (loaded.run.runId !== run.runId) {
      throw new MlfolioError({
        code: 'E_REPLAY_RUN_MISMATCH',
        message: `The server deploys run ${loaded.run.runId}, but the experiment is replayed over the held-out events of the latest run, ${run.runId}.`,
        hint: `Serve the latest run (delete or update content/projects/${project.slug}/operations/deployments.json), or rerun the project.`,
      });
    }
    const events = new Map((await heldOutEvents(workspace, project, loaded)).map((e) => [e.id, e.event]));
    return {
      url: running.url,
      inputFor: (event) => {
        const served = events.get(event.id);
        if (!served) throw new Error(`Held-out event ${event.id} was not rebuilt for the server`);
        return { event: served };
      },
      close: () => running.app.close(),
    };
  } catch (error) {
    await running.app.close();
    throw error;
  }
};
