/**
 * Always-valid inference with a normal-mixture sequential probability ratio test (mSPRT: Johari,
 * Pekelis & Walsh 2017; the Gaussian mixture of Howard et al. 2021 that GrowthBook calls GAVI).
 * At each look the estimate δ̂ has variance V; against H0: δ = δ0 the mixture likelihood ratio with
 * prior δ ~ N(δ0, τ²) is Λ = √(V/(V+τ²)) · exp((δ̂−δ0)²·τ² / (2V(V+τ²))). Rejecting when Λ ≥ 1/α
 * keeps the type-I error at α however often one looks (Ville's inequality).
 */

/**
 * The mixture variance τ² tightest at the planned horizon: τ² = V* · (−2 ln α + ln(1 − 2 ln α)),
 * V* the estimate's variance at the planned sample size (Howard et al., eq. for the optimal ρ).
 */
export function mixtureVariance(plannedVariance: number, alpha: number): number {
  const l = -2 * Math.log(alpha);
  return plannedVariance * (l + Math.log(1 + l));
}

/** The mixture likelihood ratio Λ at one look. */
export function mixtureLikelihoodRatio(
  estimate: number,
  variance: number,
  tau2: number,
  nullValue = 0,
): number {
  const d = estimate - nullValue;
  return (
    Math.sqrt(variance / (variance + tau2)) * Math.exp((d * d * tau2) / (2 * variance * (variance + tau2)))
  );
}

/** Half-width of the always-valid (1 − α) interval at one look: every δ0 the test does not reject. */
export function alwaysValidRadius(variance: number, tau2: number, alpha: number): number {
  return Math.sqrt(
    ((variance * (variance + tau2)) / tau2) *
      (2 * Math.log(1 / alpha) + Math.log((variance + tau2) / variance)),
  );
}

export interface AlwaysValidLook {
  estimate: number;
  variance: number;
}

export interface AlwaysValidResult {
  /** Always-valid p-value after the last look: min over looks of min(1, 1/Λ). */
  pValue: number;
  /** Always-valid (1 − α) interval: the intersection of every look's interval. */
  interval: [number, number];
  /** p-value and interval after each look. */
  looks: { estimate: number; variance: number; pValue: number; interval: [number, number] }[];
  tau2: number;
}

/** Runs the mSPRT over `looks` in order. Looks with no finite positive variance are skipped. */
export function alwaysValid(
  looks: readonly AlwaysValidLook[],
  tau2: number,
  alpha: number,
): AlwaysValidResult {
  let pValue = 1;
  let low = Number.NEGATIVE_INFINITY;
  let high = Number.POSITIVE_INFINITY;
  const history: AlwaysValidResult['looks'] = [];
  for (const look of looks) {
    if (!(look.variance > 0 && Number.isFinite(look.variance) && Number.isFinite(look.estimate))) continue;
    pValue = Math.min(pValue, 1 / mixtureLikelihoodRatio(look.estimate, look.variance, tau2));
    const radius = alwaysValidRadius(look.variance, tau2, alpha);
    low = Math.max(low, look.estimate - radius);
    high = Math.min(high, look.estimate + radius);
    history.push({ ...look, pValue, interval: [low, high] });
  }
  return { pValue, interval: [low, high], looks: history, tau2 };
}
