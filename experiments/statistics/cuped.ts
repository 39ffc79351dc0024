import { type Difference, welchDifference } from './mean-difference.ts';
import { moments } from './moments.ts';

export interface CupedResult {
  /** θ = cov(Y, X) / var(X), pooled over both arms. */
  theta: number;
  /** Pearson correlation of the metric with the covariate, pooled over both arms. */
  correlation: number;
  /** 1 − Var(Y − θX) / Var(Y), pooled: the share of variance the covariate removed (≈ ρ²). */
  varianceReduction: number;
  adjusted: Difference;
  unadjusted: Difference;
}

/**
 * CUPED (Deng, Xu, Kohavi & Walker 2013): subtract θ·(X − X̄) from each unit's metric, X a
 * covariate measured before assignment (so it cannot be moved by the treatment), θ estimated on
 * both arms pooled. The difference in means keeps its expectation and loses variance.
 */
export function cupedDifference(
  control: { y: readonly number[]; x: readonly number[] },
  treatment: { y: readonly number[]; x: readonly number[] },
  alpha = 0.05,
): CupedResult {
  const y = [...control.y, ...treatment.y];
  const x = [...control.x, ...treatment.x];
  const mx = moments(x);
  const my = moments(y);
  let sxy = 0;
  for (let i = 0; i < y.length; i++) sxy += (x[i]! - mx.mean) * (y[i]! - my.mean);
  const cov = sxy / (y.length - 1);
  const theta = mx.variance > 0 ? cov / mx.variance : 0;
  const adjust = (arm: { y: readonly number[]; x: readonly number[] }) =>
    arm.y.map((value, i) => value - theta * (arm.x[i]! - mx.mean));
  const adjustedControl = adjust(control);
  const adjustedTreatment = adjust(treatment);
  const adjustedVariance = moments([...adjustedControl, ...adjustedTreatment]).variance;
  return {
    theta,
    correlation: cov / Math.sqrt(mx.variance * my.variance),
    varianceReduction: 1 - adjustedVariance / my.variance,
    adjusted: welchDifference(adjustedControl, adjustedTreatment, alpha),
    unadjusted: welchDifference(control.y, treatment.y, alpha),
  };
}
