import { fillSeededIndices } from '../random.ts';
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
  const rows = resampledRows(n, resamples, seed);
  const columns = series.map((values) => Float64Array.from(values));
  const draws = new Float64Array(resamples);
  const means = new Array<number>(series.length);
  for (let r = 0; r < resamples; r++) {
    const offset = r * n;
    for (let s = 0; s < columns.length; s++) {
      const column = columns[s]!;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += column[rows[offset + i]!]!;
      means[s] = sum / n;
    }
    draws[r] = statistic(means);
  }
  return { value, ...percentileInterval(draws, level) };
}

const drawnRows = new Map<string, Uint32Array>();

/**
 * The row indices of every resample, drawn once per (rows, resamples, seed) and shared: every
 * bootstrap over the same rows with the same seed sees the same resamples, which is what makes
 * intervals of different models paired and the whole evaluation cheap.
 */
function resampledRows(n: number, resamples: number, seed: number): Uint32Array {
  const key = `${n}:${resamples}:${seed}`;
  let rows = drawnRows.get(key);
  if (!rows) {
    rows = new Uint32Array(n * resamples);
    fillSeededIndices(seed, n, rows);
    if (drawnRows.size >= 16) drawnRows.delete(drawnRows.keys().next().value!);
    drawnRows.set(key, rows);
  }
  return rows;
}

/**
 * Any statistic of the rows (a ratio, a calibration error) with a percentile-bootstrap interval.
 * `statistic` receives the row indices of one resample (all rows, in order, for the estimate).
 * Seeded like `bootstrapMean`: the same seed and row count give the same resamples.
 */
export function bootstrapStatistic(
  rows: number,
  statistic: (indices: Uint32Array) => number,
  { resamples = 1000, seed, level = 0.95 }: BootstrapOptions,
): Estimate {
  if (rows === 0) throw new RangeError('Expected at least one row to bootstrap, but got none.');
  const value = statistic(Uint32Array.from({ length: rows }, (_, i) => i));
  const drawn = resampledRows(rows, resamples, seed);
  const draws = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) draws[r] = statistic(drawn.subarray(r * rows, (r + 1) * rows));
  return { value, ...percentileInterval(draws, level) };
}

function percentileInterval(draws: Float64Array, level: number): { lower: number; upper: number } {
  draws.sort();
  const tail = (1 - level) / 2;
  const at = (q: number) =>
    draws[Math.min(draws.length - 1, Math.max(0, Math.round(q * (draws.length - 1))))]!;
  return { lower: at(tail), upper: at(1 - tail) };
}

/** True when a 95% interval lies entirely on one side of zero. */
export function excludesZero(estimate: Estimate): boolean {
  return (estimate.lower ?? 0) > 0 || (estimate.upper ?? 0) < 0;
}
