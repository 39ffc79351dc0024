import { type FeatureValues, type ModelArtifact, predictProbabilities } from '../models/artifact.ts';

export const contributionsMethod =
  "Baseline Shapley values: each feature's average marginal effect on the class probabilities as it moves from its training-period mean to its actual value, computed exactly over all 2^d feature coalitions, so contributions sum exactly to the prediction minus the reference prediction. Exact for every model given that definition; the approximation is the definition itself: features are moved independently (elo_diff separately from elo_home and elo_away), which evaluates the model on feature combinations that never occur together, and one reference point stands in for the whole training distribution. For logistic regression the attributions are on probabilities, not on the linear logits.";

export interface Contribution {
  feature: string;
  value: number;
  /** Change in each class probability (home win, draw, away win) attributed to this feature. */
  probabilities: number[];
}

export interface Explanation {
  probabilities: number[];
  /** The prediction for the reference fixture (every feature at its training mean). */
  reference: number[];
  contributions: Contribution[];
}

/**
 * Explains one prediction with baseline Shapley values: each feature's average marginal effect
 * on the class probabilities when it moves from its reference value (the training mean) to its
 * actual value, over every order in which features could be added. Computed exactly by evaluating
 * the model on all 2^d coalitions, so for any model the contributions sum exactly to
 * `probabilities − reference`. Features the model does not read get zero. Features are treated as
 * independent (elo_diff is moved separately from elo_home and elo_away): the standard
 * interventional reading, stated on the site. Pure and browser-safe: the demo calls it too.
 */
export function explainPrediction(
  artifact: ModelArtifact,
  features: FeatureValues,
  reference: FeatureValues,
  names: readonly string[] = usedFeatures(artifact),
): Explanation {
  const d = names.length;
  if (d > 16) throw new RangeError(`Expected at most 16 features to explain exactly, but got ${d}.`);
  const coalitions = 1 << d;
  const outputs: number[][] = new Array(coalitions);
  for (let mask = 0; mask < coalitions; mask++) {
    const mixed: Record<string, number> = { ...reference };
    for (let j = 0; j < d; j++) {
      const name = names[j]!;
      mixed[name] = mask & (1 << j) ? features[name]! : reference[name]!;
    }
    outputs[mask] = predictProbabilities(artifact, mixed);
  }
  const factorial = [1];
  for (let k = 1; k <= d; k++) factorial[k] = factorial[k - 1]! * k;
  const classes = outputs[0]!.length;
  const contributions = names.map((feature, j) => {
    const bit = 1 << j;
    const total = new Array<number>(classes).fill(0);
    for (let mask = 0; mask < coalitions; mask++) {
      if (mask & bit) continue;
      const size = popcount(mask);
      const weight = (factorial[size]! * factorial[d - size - 1]!) / factorial[d]!;
      const withFeature = outputs[mask | bit]!;
      const without = outputs[mask]!;
      for (let k = 0; k < classes; k++) total[k]! += weight * (withFeature[k]! - without[k]!);
    }
    return { feature, value: features[feature]!, probabilities: total };
  });
  return { probabilities: outputs[coalitions - 1]!, reference: outputs[0]!, contributions };
}

/** The features a model reads. */
export function usedFeatures(artifact: ModelArtifact): string[] {
  return artifact.kind === 'prior' ? [] : [...artifact.featureNames];
}

function popcount(mask: number): number {
  let count = 0;
  for (let m = mask; m; m &= m - 1) count++;
  return count;
}
