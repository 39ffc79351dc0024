import { Worker } from 'node:worker_threads';
import { type ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { columnNamesOfRows, eventColumnsRead } from './event-table.ts';
import { planFeatureStore } from './feature-store-plan.ts';
import type { FeatureLeakageOptions, FeatureLeakageReport } from './leakage-guard.ts';

/** What `checkFeatureLeakage` is called with, as data a worker thread receives (no builder). */
export interface LeakageGuardJob {
  /** The feature store's declaration (not a plan: a plan does not cross threads). */
  spec: unknown;
  rows: readonly Record<string, unknown>[];
  options: Omit<FeatureLeakageOptions, 'build'>;
  source: string;
}

/**
 * What crosses to the worker: the job with its rows as columns, only those the store reads (see
 * `eventColumnsRead`). Structured cloning arrays of values is cheaper than cloning one object per
 * row, and the builder never reads the other columns, so every rebuild is the same.
 */
export interface LeakageGuardTransfer {
  spec: unknown;
  rowCount: number;
  columns: Record<string, unknown[]>;
  options: LeakageGuardJob['options'];
  source: string;
}

/** The worker's one answer. */
export type LeakageGuardReply =
  | { report: FeatureLeakageReport }
  | {
      error: {
        name: string;
        message: string;
        stack?: string;
        code?: string;
        hint?: string;
        exitCode?: number;
        retryable?: boolean;
      };
    };

/**
 * `checkFeatureLeakage` on a worker thread: the same report, or the same error (a MlfolioError
 * keeps its code, hint and exit code). The caller's thread is free meanwhile: the engine trains
 * its models while the guard's rebuilds run on another core. (On the caller's thread, each of the
 * guard's DuckDB steps waited for a whole model fit, and the run took longer.)
 */
export async function checkFeatureLeakageOnThread(job: LeakageGuardJob): Promise<FeatureLeakageReport> {
  const plan = planFeatureStore(job.spec, job.source);
  const columns: Record<string, unknown[]> = {};
  for (const name of eventColumnsRead(plan, columnNamesOfRows(job.rows)))
    columns[name] = job.rows.map((row) => row[name]);
  const transfer: LeakageGuardTransfer = {
    spec: job.spec,
    rowCount: job.rows.length,
    columns,
    options: job.options,
    source: job.source,
  };
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./leakage-guard-worker.ts', import.meta.url), {
      workerData: transfer,
    });
    let answered = false;
    worker.once('message', (reply: LeakageGuardReply) => {
      answered = true;
      if ('report' in reply) resolve(reply.report);
      else reject(revive(reply.error));
    });
    worker.once('error', (error) => {
      answered = true;
      reject(error);
    });
    worker.once('exit', (code) => {
      if (!answered)
        reject(new Error(`The leakage guard's worker thread exited (code ${code}) without an answer.`));
    });
  });
}

function revive(error: Extract<LeakageGuardReply, { error: unknown }>['error']): Error {
  const revived =
    error.name === 'MlfolioError' && error.code
      ? new MlfolioError({
          code: error.code,
          message: error.message,
          ...(error.hint === undefined ? {} : { hint: error.hint }),
          ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode as ExitCode }),
          ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
        })
      : Object.assign(new Error(error.message), { name: error.name });
  if (error.stack) revived.stack = error.stack;
  return revived;
}
