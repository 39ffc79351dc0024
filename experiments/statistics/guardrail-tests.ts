import { betaIncomplete, studentTCdf } from './distributions.ts';
import type { Difference } from './mean-difference.ts';

/** A one-sided guardrail's outcome: confidently within its limit, confidently beyond it, or neither yet. */
export type GuardrailStatus = 'pass' | 'fail' | 'inconclusive';

/**
 * One-sided non-inferiority test of the treatment against control with margin m > 0.
 * For a lower-is-better metric, H0: δ ≥ m (worse by at least m) against H1: δ < m; higher is
 * better mirrors it. `pValue` tests H0 with Welch's t; the guardrail fails when the one-sided
 * interval lies wholly beyond the margin.
 */
export function nonInferiority(
  difference: Pick<Difference, 'difference' | 'standardError' | 'degreesOfFreedom'>,
  better: 'higher' | 'lower',
  margin: number,
  alpha: number,
): { pValue: number; status: GuardrailStatus; margin: number } {
  const { difference: d, standardError: se, degreesOfFreedom: df } = difference;
  // Orient so that larger is worse.
  const worse = better === 'lower' ? d : -d;
  const pValue = studentTCdf((worse - margin) / se, df);
  // The mirror test (H0: harm ≤ margin) fails the guardrail once harm beyond the margin is shown.
  const pBeyond = 1 - studentTCdf((worse - margin) / se, df);
  const status: GuardrailStatus = pValue < alpha ? 'pass' : pBeyond < alpha ? 'fail' : 'inconclusive';
  return { pValue, status, margin };
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  return betaIncomplete(1 - p, n - k, k + 1);
}

/**
 * Distribution-free one-sided bounds on a quantile q from a sample: order statistics whose rank
 * the binomial distribution guarantees at confidence 1 − α. Undefined when the sample is too
 * small for the bound to exist.
 */
export function quantileBounds(
  values: readonly number[],
  q: number,
  alpha: number,
): { estimate: number; lower: number | undefined; upper: number | undefined } {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const estimate = sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  // Upper: smallest k with P(Binom(n, q) ≤ k − 1) ≥ 1 − α; then P(x_(k) ≥ quantile) ≥ 1 − α.
  let upper: number | undefined;
  for (let k = 1; k <= n; k++) {
    if (binomialCdf(k - 1, n, q) >= 1 - alpha) {
      upper = sorted[k - 1];
      break;
    }
  }
  // Lower: largest k with P(Binom(n, q) ≥ k) ≥ 1 − α, i.e. P(Binom ≤ k − 1) ≤ α.
  let lower: number | undefined;
  for (let k = n; k >= 1; k--) {
    if (binomialCdf(k - 1, n, q) <= alpha) {
      lower = sorted[k - 1];
      break;
    }
  }
  return { estimate, lower, upper };
}

/** Clopper–Pearson one-sided (1 − α) bounds of a proportion from `events` of `n`. */
export function proportionBounds(events: number, n: number, alpha: number): { lower: number; upper: number } {
  const solve = (f: (p: number) => number, target: number) => {
    let low = 0;
    let high = 1;
    for (let i = 0; i < 100; i++) {
      const mid = (low + high) / 2;
      if (f(mid) < target) low = mid;
      else high = mid;
    }
    return (low + high) / 2;
  };
  const upper = events >= n ? 1 : solve((p) => 1 - binomialCdf(events, n, p), 1 - alpha);
  const lower = events <= 0 ? 0 : solve((p) => 1 - binomialCdf(events - 1, n, p), alpha);
  return { lower, upper };
}

/** Guardrail on an upper limit, from one-sided bounds: pass if the upper bound is within, fail if the lower bound is beyond. */
export function limitStatus(
  bounds: { lower: number | undefined; upper: number | undefined },
  limit: number,
): GuardrailStatus {
  if (bounds.upper !== undefined && bounds.upper <= limit) return 'pass';
  if (bounds.lower !== undefined && bounds.lower > limit) return 'fail';
  return 'inconclusive';
}
