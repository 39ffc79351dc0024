/**
 * Feature drift between a reference sample (the deployed model's training data) and a current one
 * (newly arrived data), with two named statistics per feature:
 * - PSI, the population stability index over the reference deciles: Σ (c − r)·ln(c / r). Rule of
 *   thumb used in credit scoring: < 0.1 stable, 0.1–0.25 a moderate shift, > 0.25 a major shift.
 * - KS, the two-sample Kolmogorov–Smirnov statistic (largest gap between the two empirical CDFs),
 *   with its asymptotic p-value.
 */
export interface FeatureDrift {
  feature: string;
  psi: number;
  ks: number;
  ksPValue: number;
  referenceMean: number;
  currentMean: number;
  level: DriftLevel;
}

export type DriftLevel = 'stable' | 'moderate' | 'major';

export const psiThresholds = { moderate: 0.1, major: 0.25 } as const;

/** Share floor per bin so an empty bin gives a large but finite PSI term. */
const psiFloor = 1e-4;

/** Drift of one feature; `thresholds` name the PSI levels (default: the rule of thumb above). */
export function featureDrift(
  feature: string,
  reference: readonly number[],
  current: readonly number[],
  thresholds: { moderate: number; major: number } = psiThresholds,
): FeatureDrift {
  const psi = populationStabilityIndex(reference, current);
  const { statistic, pValue } = kolmogorovSmirnov(reference, current);
  return {
    feature,
    psi,
    ks: statistic,
    ksPValue: pValue,
    referenceMean: mean(reference),
    currentMean: mean(current),
    level: psi >= thresholds.major ? 'major' : psi >= thresholds.moderate ? 'moderate' : 'stable',
  };
}

/**
 * PSI over bins cut at the reference deciles. Ties (capped or discrete features such as rest days)
 * collapse duplicate cut points, so a feature with few distinct values gets fewer, wider bins.
 */
export function populationStabilityIndex(
  reference: readonly number[],
  current: readonly number[],
  bins = 10,
): number {
  if (reference.length === 0 || current.length === 0) {
    throw new RangeError(
      `Expected two non-empty samples, but got ${reference.length} and ${current.length} values.`,
    );
  }
  const sorted = [...reference].sort((a, b) => a - b);
  const cuts = [
    ...new Set(
      Array.from({ length: bins - 1 }, (_, i) => sorted[Math.floor(((i + 1) * sorted.length) / bins)]!),
    ),
  ];
  const shares = (values: readonly number[]) => {
    const counts = new Array<number>(cuts.length + 1).fill(0);
    for (const value of values) {
      let bin = 0;
      while (bin < cuts.length && value >= cuts[bin]!) bin++;
      counts[bin]!++;
    }
    return counts.map((count) => Math.max(psiFloor, count / values.length));
  };
  const r = shares(reference);
  const c = shares(current);
  return r.reduce((sum, rk, k) => sum + (c[k]! - rk) * Math.log(c[k]! / rk), 0);
}

export function kolmogorovSmirnov(
  a: readonly number[],
  b: readonly number[],
): { statistic: number; pValue: number } {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i]! <= value) i++;
    while (j < y.length && y[j]! <= value) j++;
    statistic = Math.max(statistic, Math.abs(i / x.length - j / y.length));
  }
  const effective = Math.sqrt((x.length * y.length) / (x.length + y.length));
  return { statistic, pValue: kolmogorovPValue((effective + 0.12 + 0.11 / effective) * statistic) };
}

/** Survival function of the Kolmogorov distribution (Numerical Recipes' Q_KS). */
function kolmogorovPValue(lambda: number): number {
  if (lambda < 1e-3) return 1;
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (-1) ** (k - 1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) break;
  }
  return Math.min(1, Math.max(0, sum));
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}
