import { normalQuantile, normalSf } from './distributions.ts';
import { covariance, moments } from './moments.ts';

/** A ratio metric in one arm: Σ numerator / Σ denominator over its units, with its delta-method variance. */
export interface RatioEstimate {
  n: number;
  ratio: number;
  /** Variance of the ratio estimate (not of a unit's value). */
  variance: number;
}

/**
 * The delta method for a ratio of means R = x̄ / ȳ over units (the unit, not the event, is the
 * randomised thing, so events within a unit are correlated):
 * Var(R) ≈ (σx² − 2R·σxy + R²·σy²) / (n·ȳ²).
 */
export function ratioEstimate(numerator: readonly number[], denominator: readonly number[]): RatioEstimate {
  const x = moments(numerator);
  const y = moments(denominator);
  const ratio = x.mean / y.mean;
  const sxy = covariance(numerator, denominator);
  const variance = (x.variance - 2 * ratio * sxy + ratio * ratio * y.variance) / (x.n * y.mean * y.mean);
  return { n: x.n, ratio, variance };
}

export interface RatioDifference {
  control: RatioEstimate;
  treatment: RatioEstimate;
  difference: number;
  relative: number;
  standardError: number;
  interval: [number, number];
  statistic: number;
  pValue: number;
}

/** Treatment − control difference of a ratio metric, with a normal (1 − α) interval. */
export function ratioDifference(
  control: { numerator: readonly number[]; denominator: readonly number[] },
  treatment: { numerator: readonly number[]; denominator: readonly number[] },
  alpha = 0.05,
): RatioDifference {
  const c = ratioEstimate(control.numerator, control.denominator);
  const t = ratioEstimate(treatment.numerator, treatment.denominator);
  const difference = t.ratio - c.ratio;
  const standardError = Math.sqrt(c.variance + t.variance);
  const statistic = difference / standardError;
  const half = normalQuantile(1 - alpha / 2) * standardError;
  return {
    control: c,
    treatment: t,
    difference,
    relative: difference / c.ratio,
    standardError,
    interval: [difference - half, difference + half],
    statistic,
    pValue: 2 * normalSf(Math.abs(statistic)),
  };
}
