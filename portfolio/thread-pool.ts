import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';
import type { Piscina } from 'piscina';
import { MlfolioError } from './errors.ts';
import { reviveThreadError, type ThreadError } from './thread-errors.ts';

/** What a job module's default export returns: its result, or the error it threw as data. */
export type ThreadReply<R> = { result: R } | { error: ThreadError };

let pool: Promise<Piscina> | undefined;
let queue: PQueue | undefined;
/** Above any job's size. */
const urgentPriority = 2 ** 40;

/**
 * How many worker threads run the engine's heavy jobs (model fits, leakage-guard probes):
 * `MLFOLIO_THREADS`, by default one per core; 0 runs every job on the calling thread.
 */
export function engineThreads(): number {
  const declared = process.env.MLFOLIO_THREADS;
  if (declared === undefined || declared === '') return availableParallelism();
  const threads = Number(declared);
  if (!Number.isInteger(threads) || threads < 0) {
    throw new MlfolioError({
      code: 'E_ENV_INVALID',
      message: `MLFOLIO_THREADS is "${declared}", which is not a whole number of threads.`,
      hint: 'Set it to 0 (every job on the main thread) or a positive whole number, or unset it (one thread per core).',
    });
  }
  return threads;
}

/**
 * Runs `job` through the default export of the module at `worker` on the process's one pool of
 * worker threads (piscina; `engineThreads()` of them, created on first use), so however many
 * projects and stages send work at once, the threads never outnumber the cores. The module catches
 * its own errors and returns them as data (`threadErrorOf`); they are rethrown here as they were
 * thrown, a MlfolioError with its code, hint and exit code.
 *
 * Waiting jobs start `urgent` ones first, then largest `size` first (the rows the job reads, say),
 * in the order they were sent among equals. Urgent jobs are those other work of the command
 * waits for (a run's final fits, which its evaluation needs while its backtest folds still
 * train). The longest jobs first keeps every core busy to the end instead of leaving one long
 * job alone at the end, and the project with the most data — the one a multi-project run waits
 * for — is not queued behind the small projects' work: with the example portfolio's jobs in the
 * order they were sent, its largest project's fits waited while the others' ran.
 */
export async function runOnThread<J, R>(
  worker: URL,
  job: J,
  options: { transferList?: ArrayBuffer[]; size?: number; urgent?: boolean } = {},
): Promise<R> {
  pool ??= createPool();
  // At most one job per thread is handed to piscina, so each finds a thread free and jobs start in
  // this queue's order: handed over all at once, piscina started later jobs before earlier ones
  // (a project's baseline fits waited 15 s behind fits sent after them).
  queue ??= new PQueue({ concurrency: Math.max(1, engineThreads()) });
  const threads = await pool;
  const reply: ThreadReply<R> = await queue.add(
    () => threads.run(job, { filename: worker.href, transferList: options.transferList ?? [] }),
    // p-queue orders by priority differences, so urgency is a large offset rather than Infinity.
    { priority: (options.urgent ? urgentPriority : 0) + (options.size ?? 0) },
  );
  if ('error' in reply) throw reviveThreadError(reply.error);
  return reply.result;
}

/**
 * Starts the pool's threads now, each loading the job module `preload` as it starts, when a command
 * knows it will send them that module's jobs: a thread's first job then neither waits for the
 * thread nor for the module (TensorFlow.js and its WebAssembly for a model fit, about a second),
 * which load while this thread does other work. Does nothing without threads or once the pool exists.
 */
export function startEngineThreads(preload: URL): void {
  if (engineThreads() === 0) return;
  pool ??= createPool(preload);
}

function createPool(preload?: URL): Promise<Piscina> {
  const threads = Math.max(1, engineThreads());
  return import('piscina').then(
    ({ Piscina }) =>
      new Piscina({
        ...(preload ? { filename: preload.href, minThreads: threads } : { minThreads: 0 }),
        maxThreads: threads,
        // Idle threads are unreferenced, so a finished command exits without waiting for this.
        idleTimeout: 30_000,
      }),
  );
}

/**
 * Ends the pool's threads, dropping queued jobs and stopping running ones. The CLI calls it once a
 * command has returned: after a failed run, the fits it had queued would otherwise keep the process
 * alive until they finished, for nothing.
 */
export async function closeEngineThreads(): Promise<void> {
  const open = pool;
  pool = undefined;
  queue?.clear();
  queue = undefined;
  if (open) await (await open).destroy();
}
