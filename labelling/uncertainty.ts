/** How uncertain a model is about one item, from its class probabilities: higher is more uncertain. */
export type UncertaintyMeasure = 'least-confidence' | 'margin' | 'entropy';

/**
 * Least confidence 1 − max p; margin 1 − (p₁ − p₂) (so a small margin scores high); entropy
 * −Σ p log p in nats. Probabilities are used as given (they should sum to 1).
 */
export function uncertainty(probabilities: readonly number[], measure: UncertaintyMeasure): number {
  if (measure === 'entropy') {
    let h = 0;
    for (const p of probabilities) if (p > 0) h -= p * Math.log(p);
    return h;
  }
  let first = Number.NEGATIVE_INFINITY;
  let second = Number.NEGATIVE_INFINITY;
  for (const p of probabilities) {
    if (p > first) {
      second = first;
      first = p;
    } else if (p > second) second = p;
  }
  if (measure === 'least-confidence') return 1 - first;
  return 1 - (first - (Number.isFinite(second) ? second : 0));
}
