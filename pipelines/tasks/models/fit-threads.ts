import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import { MlfolioError } from '../../../portfolio/errors.ts';
import { reviveThreadError } from '../../../portfolio/thread-errors.ts';
import type { Task, TrainingSet } from '../task.ts';
import { type FitReply, type FitResult, fitJobOf } from './fit-job.ts';
import { modelKinds } from './registry.ts';

let pool: Promise<Piscina> | undefined;

/**
 * How many worker threads fit models: `MLFOLIO_FIT_THREADS` (0 fits on the calling thread), by
 * default one per core.
 */
export function fitThreads(): number {
  const declared = process.env.MLFOLIO_FIT_THREADS;
  if (declared === undefined || declared === '') return availableParallelism();
  const threads = Number(declared);
  if (!Number.isInteger(threads) || threads < 0) {
    throw new MlfolioError({
      code: 'E_ENV_INVALID',
      message: `MLFOLIO_FIT_THREADS is "${declared}", which is not a whole number of threads.`,
      hint: 'Set it to 0 (fit on the main thread) or a positive whole number, or unset it (one thread per core).',
    });
  }
  return threads;
}

/**
 * Fits a model of kind `kind` with the registry's code, on a pool of worker threads (see
 * `fitThreads`). The same artifact as fitting on the calling thread: the job carries the rows
 * exactly (doubles in a Float64Array) and the fit is seeded. The calling thread stays free meanwhile,
 * so the engine can evaluate, build features or run another project while models train, and
 * fits queued together use every core. `trainMs` is the fit's own time, not the wait for a thread.
 */
export async function fitModel(
  kind: string,
  task: Task,
  data: TrainingSet,
  params: unknown,
  seed: number,
): Promise<FitResult> {
  const threads = fitThreads();
  if (threads === 0) {
    const t0 = performance.now();
    const artifact = await modelKinds[kind]!.fit(task, data, params, seed);
    return { artifact, trainMs: performance.now() - t0 };
  }
  pool ??= import('piscina').then(
    ({ Piscina }) =>
      new Piscina({
        filename: new URL('./fit-worker.ts', import.meta.url).href,
        minThreads: 0,
        maxThreads: threads,
        // Idle threads are unreferenced, so a finished command exits without waiting for this.
        idleTimeout: 30_000,
      }),
  );
  const job = fitJobOf(kind, task, data, params, seed);
  const reply: FitReply = await (await pool).run(job, {
    transferList: [job.values.buffer, job.outcomes.buffer],
  });
  if ('error' in reply) throw reviveThreadError(reply.error);
  return reply.result;
}
