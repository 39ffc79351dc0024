import { engineThreads, runOnThread, startEngineThreads } from '../../../portfolio/thread-pool.ts';
import type { Task, TrainingSet } from '../task.ts';
import { type FitResult, fitJobOf } from './fit-job.ts';
import { modelKinds } from './registry.ts';

/**
 * Fits a model of kind `kind` with the registry's code, on the engine's worker threads (see
 * `engineThreads`; on the calling thread when there are none). The same artifact either way: the
 * job carries the rows exactly (doubles in a Float64Array) and the fit is seeded. The calling
 * thread stays free meanwhile, so the engine can evaluate, build features or run another project
 * while models train, and fits queued together use every core. `trainMs` is the fit's own time,
 * not the wait for a thread. An `urgent` fit starts before the queued fits that are not (see
 * `runOnThread`): a run's final fits, which its evaluation waits for.
 */
export async function fitModel(
  kind: string,
  task: Task,
  data: TrainingSet,
  params: unknown,
  seed: number,
  options: { urgent?: boolean } = {},
): Promise<FitResult> {
  if (engineThreads() === 0) {
    const t0 = performance.now();
    const artifact = await modelKinds[kind]!.fit(task, data, params, seed);
    return { artifact, trainMs: performance.now() - t0 };
  }
  const job = fitJobOf(kind, task, data, params, seed);
  return runOnThread(fitWorker, job, {
    transferList: [job.values.buffer, job.outcomes.buffer],
    size: job.rowCount,
    urgent: options.urgent ?? false,
  });
}

const fitWorker = new URL('./fit-worker.ts', import.meta.url);

/**
 * Readies the engine's threads for model fits before any is sent: a run that computes calls it
 * first, so the threads load the models' code while the run collects and builds features.
 */
export function prepareModelFits(): void {
  startEngineThreads(fitWorker);
}
