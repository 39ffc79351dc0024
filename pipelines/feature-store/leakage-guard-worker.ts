/** A job of the engine's thread pool (`checkFeatureLeakageOnThread`): one shard of the leakage guard. */
import { threadErrorOf } from '../../portfolio/thread-errors.ts';
import type { ThreadReply } from '../../portfolio/thread-pool.ts';
import { checkFeatureLeakage, type FeatureLeakageReport } from './leakage-guard.ts';
import type { LeakageGuardTransfer } from './leakage-guard-thread.ts';
import { transferredValue } from './transfer-column.ts';

export default async function guard(job: LeakageGuardTransfer): Promise<ThreadReply<FeatureLeakageReport>> {
  const names = Object.keys(job.columns);
  const rows = Array.from({ length: job.rowCount }, (_, i) => {
    const row: Record<string, unknown> = {};
    for (const name of names) {
      const value = transferredValue(job.columns[name]!, i);
      // A key the row did not have stays absent.
      if (value !== undefined) row[name] = value;
    }
    return row;
  });
  try {
    return { result: await checkFeatureLeakage(job.spec, rows, job.options, job.source) };
  } catch (caught) {
    return { error: threadErrorOf(caught) };
  }
}
