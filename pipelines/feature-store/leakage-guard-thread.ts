import { engineThreads, runOnThread } from '../../portfolio/thread-pool.ts';
import { columnNamesOfRows, eventColumnsRead } from './event-table.ts';
import { planFeatureStore } from './feature-store-plan.ts';
import {
  checkFeatureLeakage,
  type FeatureLeakageOptions,
  type FeatureLeakageReport,
  mergeLeakageReports,
} from './leakage-guard.ts';
import { type TransferColumn, transferColumn } from './transfer-column.ts';

/** What `checkFeatureLeakage` is called with, as data a worker thread receives (no builder). */
export interface LeakageGuardJob {
  /** The feature store's declaration (not a plan: a plan does not cross threads). */
  spec: unknown;
  rows: readonly Record<string, unknown>[];
  options: Omit<FeatureLeakageOptions, 'build'>;
  source: string;
}

/**
 * What crosses to a worker: the job with its rows as columns, only those the store reads (see
 * `eventColumnsRead`). Structured cloning arrays of values is cheaper than cloning one object per
 * row, and the builder never reads the other columns, so every rebuild is the same. A column of
 * text crosses as numbers into its distinct strings, and the reference training set without its
 * entity keys and as-of times, which the guard does not read: one string per row and role cost
 * more to clone than all the rest.
 */
export interface LeakageGuardTransfer {
  spec: unknown;
  rowCount: number;
  columns: Record<string, TransferColumn>;
  options: LeakageGuardJob['options'];
  source: string;
}

/**
 * `checkFeatureLeakage` on the engine's worker threads: the same report, or the same error (a
 * MlfolioError keeps its code, hint and exit code). The probes are split into shards, each a job
 * of its own, so a long guard does not hold one core while the other idles; when several shards
 * fail, the first shard's error is the one reported. The caller's thread is
 * free meanwhile: the engine trains its models while the guard's rebuilds run. (On the caller's
 * thread, each of the guard's DuckDB steps waited for a whole model fit, and the run took longer.)
 */
export async function checkFeatureLeakageOnThread(job: LeakageGuardJob): Promise<FeatureLeakageReport> {
  const threads = engineThreads();
  if (threads === 0) return checkFeatureLeakage(job.spec, job.rows, job.options, job.source);
  const plan = planFeatureStore(job.spec, job.source);
  const columns: Record<string, TransferColumn> = {};
  for (const name of eventColumnsRead(plan, columnNamesOfRows(job.rows)))
    columns[name] = transferColumn(job.rows.map((row) => row[name]));
  const reference = job.options.reference;
  const options = reference
    ? { ...job.options, reference: { ...reference, entities: {}, asOf: {} } }
    : job.options;
  // One shard per thread: one job per probe (tried) spent more in sending the rows and the
  // reference to each job and opening a database per job than it gained in balance.
  const count = Math.max(1, Math.min(threads, job.options.probes));
  const shards = await Promise.allSettled(
    Array.from({ length: count }, (_, index) =>
      runOnThread<LeakageGuardTransfer, FeatureLeakageReport>(
        new URL('./leakage-guard-worker.ts', import.meta.url),
        {
          spec: job.spec,
          rowCount: job.rows.length,
          columns,
          options: { ...options, shard: { index, count } },
          source: job.source,
        },
        { size: job.rows.length },
      ),
    ),
  );
  const failed = shards.find((shard) => shard.status === 'rejected');
  if (failed) throw failed.reason;
  return mergeLeakageReports(
    shards.map((shard) => (shard as PromiseFulfilledResult<FeatureLeakageReport>).value),
  );
}
