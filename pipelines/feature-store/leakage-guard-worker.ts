/** The worker thread of `checkFeatureLeakageOnThread`: runs the guard once and answers. */
import { parentPort, workerData } from 'node:worker_threads';
import { checkFeatureLeakage } from './leakage-guard.ts';
import type { LeakageGuardReply, LeakageGuardTransfer } from './leakage-guard-thread.ts';

const job = workerData as LeakageGuardTransfer;
const names = Object.keys(job.columns);
const rows = Array.from({ length: job.rowCount }, (_, i) => {
  const row: Record<string, unknown> = {};
  for (const name of names) {
    const value = job.columns[name]![i];
    // A key the row did not have stays absent.
    if (value !== undefined) row[name] = value;
  }
  return row;
});
let reply: LeakageGuardReply;
try {
  reply = { report: await checkFeatureLeakage(job.spec, rows, job.options, job.source) };
} catch (caught) {
  const error = caught as Error & { code?: unknown; hint?: unknown; exitCode?: unknown; retryable?: unknown };
  reply = {
    error: {
      name: error.name,
      message: error.message,
      ...(error.stack ? { stack: error.stack } : {}),
      ...(typeof error.code === 'string' ? { code: error.code } : {}),
      ...(typeof error.hint === 'string' ? { hint: error.hint } : {}),
      ...(typeof error.exitCode === 'number' ? { exitCode: error.exitCode } : {}),
      ...(typeof error.retryable === 'boolean' ? { retryable: error.retryable } : {}),
    },
  };
}
parentPort!.postMessage(reply);
