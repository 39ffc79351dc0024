import { type FeatureValues, type ModelArtifact, predictProbabilities } from '../models/artifact.ts';

export interface PartialDependence {
  feature: string;
  /** At each grid value x, the class probabilities averaged over the rows with the feature set to x. */
  points: { x: number; probabilities: number[] }[];
}

/**
 * Partial dependence of the class probabilities on one feature: the feature is set to each grid
 * value (`gridSize` quantiles from the 5th to the 95th percentile of the rows, so the curve stays
 * where there are data) in every row, and the predictions are averaged. Other features keep their
 * observed values, so correlated features (elo_diff and elo_home) are moved independently: read the
 * curve as the model's response, not as a causal effect.
 */
export function partialDependence(
  artifact: ModelArtifact,
  rows: readonly FeatureValues[],
  feature: string,
  gridSize = 20,
): PartialDependence {
  const sorted = rows.map((row) => row[feature]!).sort((a, b) => a - b);
  const grid = [
    ...new Set(
      Array.from({ length: gridSize }, (_, g) => {
        const q = 0.05 + (0.9 * g) / Math.max(1, gridSize - 1);
        return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
      }),
    ),
  ];
  const points = grid.map((x) => {
    const sums = [0, 0, 0];
    for (const row of rows) {
      const p = predictProbabilities(artifact, { ...row, [feature]: x });
      for (let k = 0; k < sums.length; k++) sums[k]! += p[k]!;
    }
    return { x, probabilities: sums.map((s) => s / rows.length) };
  });
  return { feature, points };
}
