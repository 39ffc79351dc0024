import { seededRandom } from '../pipelines/random.ts';
import type { Estimate } from '../pipelines/runs/run-record.ts';

/**
 * The difference of means `mean(a) − mean(b)` of two independent samples (two different periods,
 * so rows cannot be paired), with a percentile-bootstrap interval that resamples each sample on
 * its own. Seeded: the same inputs give the same interval bit for bit.
 */
export function independentBootstrapDifference(
  a: readonly number[],
  b: readonly number[],
  { resamples = 1000, seed, level = 0.95 }: { resamples?: number; seed: number; level?: number },
): Estimate {
  if (a.length === 0 || b.length === 0) {
    throw new RangeError(`Expected two non-empty samples, but got ${a.length} and ${b.length} rows.`);
  }
  const random = seededRandom(seed);
  const resampledMean = (values: readonly number[]) => {
    let sum = 0;
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)]!;
    return sum / values.length;
  };
  const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
  const draws = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) draws[r] = resampledMean(a) - resampledMean(b);
  draws.sort();
  const tail = (1 - level) / 2;
  const at = (q: number) => draws[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))]!;
  return { value: mean(a) - mean(b), lower: at(tail), upper: at(1 - tail) };
}

/**
 * Any statistic of two independent samples (a difference of two periods' RMSE or AUC, say) with a
 * percentile-bootstrap interval: each resample draws `a`'s rows and `b`'s rows on their own and
 * passes their indices to `statistic` (all rows, in order, for the estimate). Seeded.
 */
export function independentBootstrapStatistic(
  sizes: { a: number; b: number },
  statistic: (a: readonly number[], b: readonly number[]) => number,
  { resamples = 1000, seed, level = 0.95 }: { resamples?: number; seed: number; level?: number },
): Estimate {
  if (sizes.a === 0 || sizes.b === 0) {
    throw new RangeError(`Expected two non-empty samples, but got ${sizes.a} and ${sizes.b} rows.`);
  }
  const random = seededRandom(seed);
  const draw = (n: number) => Array.from({ length: n }, () => Math.floor(random() * n));
  const all = (n: number) => Array.from({ length: n }, (_, i) => i);
  const draws = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) draws[r] = statistic(draw(sizes.a), draw(sizes.b));
  draws.sort();
  const tail = (1 - level) / 2;
  const at = (q: number) => draws[Math.min(resamples - 1, Math.max(0, Math.round(q * (resamples - 1))))]!;
  return { value: statistic(all(sizes.a), all(sizes.b)), lower: at(tail), upper: at(1 - tail) };
}
