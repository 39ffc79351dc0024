/** Count, mean and sample variance (n − 1) of a sample, plus its sum of values. */
export interface Moments {
  n: number;
  mean: number;
  variance: number;
}

export function moments(values: readonly number[]): Moments {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = n > 0 ? sum / n : Number.NaN;
  let squares = 0;
  for (const v of values) squares += (v - mean) * (v - mean);
  return { n, mean, variance: n > 1 ? squares / (n - 1) : Number.NaN };
}

/** Sample covariance (n − 1) of paired values. */
export function covariance(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = moments(x).mean;
  const my = moments(y).mean;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (x[i]! - mx) * (y[i]! - my);
  return n > 1 ? sum / (n - 1) : Number.NaN;
}

/** Pearson correlation of paired values. */
export function correlation(x: readonly number[], y: readonly number[]): number {
  return covariance(x, y) / Math.sqrt(moments(x).variance * moments(y).variance);
}
