import { seededRandom } from '../random.ts';
import type { Estimate } from '../runs/run-record.ts';

export interface BootstrapOptions {
  /** Number of resamples; 1,000 gives stable 95% percentile intervals for these sample sizes. */
  resamples?: number;
  seed: number;
  /** Central coverage of the interval. */
  level?: number;
}

/**
 * The mean of per-row values with a percentile-bootstrap interval (rows resampled with
 * replacement, seeded, so the same inputs give the same interval bit for bit).
 */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions): Estimate {
  return pairedBootstrap([values], (means) => means[0]!, options);
}

/**
 * The mean difference `a − b` of two per-row series over the same rows, resampling rows jointly
 * (a paired bootstrap): the interval reflects the correlation between the two models' errors.
 */
export function pairedBootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions,
): Estimate {
  if (a.length !== b.length) {
    throw new RangeError(`Expected paired series of equal length, but got ${a.length} and ${b.length}.`);
  }
  return pairedBootstrap([a, b], (means) => means[0]! - means[1]!, options);
}

function pairedBootstrap(
  series: readonly (readonly number[])[],
  statistic: (means: number[]) => number,
  { resamples = 1000, seed, level = 0.95 }: BootstrapOptions,
): Estimate {
  const n = series[0]!.length;
  if (n === 0) throw new RangeError('Expected at least one row to bootstrap, but got none.');
  const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / n;
  const value = statistic(series.map(mean));
  const random = seededRandom(seed);
  const draws = new Float64Array(resamples);
  const sums = new Float64Array(series.length);
  for (let r = 0; r < resamples; r++) {
    sums.fill(0);
    for (let i = 0; i < n; i++) {
      const row = Math.floor(random() * n);
      for (let s = 0; s < series.length; s++) sums[s]! += series[s]![row]!;
    }
    draws[r] = statistic(Array.from(sums, (sum) => sum / n));
  }
  draws.sort();
  const tail = (1 - level) / 2;
  const at = (q: number) => draws[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))]!;
  return { value, lower: at(tail), upper: at(1 - tail) };
}
