import Fastify from 'fastify';
import type { ReplayServer, StartReplayServer } from './experiment-replay.ts';
import { projectExperimentsToServe } from './project-serving.ts';
import { experimentPlugin } from './serving.ts';

/**
 * The experiment routes of the project's server on a free loopback port, for a replay: the
 * experiment `key` mounted exactly as `mlfolio serve` mounts it (`projectExperimentsToServe`,
 * `experimentPlugin`), with the clock taken from each request.
 */
export const startReplayServer: StartReplayServer = async ({
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
