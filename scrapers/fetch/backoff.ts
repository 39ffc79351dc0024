/**
 * Exponential backoff with "full jitter" (AWS Architecture Blog, 2015): the wait before retry
 * number `attempt` (1-based) is uniform in [0, min(max, base · 2^(attempt-1))]. Jitter keeps many
 * clients that failed together from retrying together. `random` is injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  options: { baseMs: number; maxMs: number; random?: () => number },
): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (options.random ?? Math.random)());
}
