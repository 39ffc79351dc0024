import { normalCdf, normalQuantile } from './distributions.ts';

/** A design whose power is asked for. Normal approximation, two-sided test at `alpha`. */
export interface PowerDesign {
  /** Units in the experiment (all arms). */
  units: number;
  /** Per-unit variance of the metric (one arm). */
  variance: number;
  alpha: number;
  /** `ab`: units split between arms by `controlShare`. `paired`: every unit scored by both arms (shadow). */
  design: 'ab' | 'paired';
  /** Share of units in control (A/B), default ½. */
  controlShare?: number;
  /** Correlation of the metric with a pre-assignment covariate: CUPED scales the variance by 1 − ρ². */
  cupedCorrelation?: number;
  /** Paired design: correlation between the two arms' metric on the same unit. */
  pairCorrelation?: number;
}

/** Standard error of the difference under `design`. */
export function differenceStandardError(design: PowerDesign): number {
  const rho = design.cupedCorrelation ?? 0;
  const variance = design.variance * (1 - rho * rho);
  if (design.design === 'paired') {
    const r = design.pairCorrelation ?? 0;
    return Math.sqrt((2 * variance * (1 - r)) / design.units);
  }
  const share = design.controlShare ?? 0.5;
  return Math.sqrt(variance / (design.units * share) + variance / (design.units * (1 - share)));
}

/** Probability that the two-sided test rejects when the true difference is `effect`. */
export function power(design: PowerDesign, effect: number): number {
  const z = normalQuantile(1 - design.alpha / 2);
  const shift = Math.abs(effect) / differenceStandardError(design);
  return normalCdf(shift - z) + normalCdf(-shift - z);
}

/** Smallest |effect| detected with probability `targetPower` (ignoring the far tail). */
export function minimumDetectableEffect(design: PowerDesign, targetPower: number): number {
  return (
    (normalQuantile(1 - design.alpha / 2) + normalQuantile(targetPower)) * differenceStandardError(design)
  );
}

/** Units needed (all arms) to detect `effect` with probability `targetPower`. */
export function unitsNeeded(design: Omit<PowerDesign, 'units'>, effect: number, targetPower: number): number {
  const perUnit = differenceStandardError({ ...design, units: 1 });
  const z = normalQuantile(1 - design.alpha / 2) + normalQuantile(targetPower);
  return Math.ceil(((z * perUnit) / effect) ** 2);
}
