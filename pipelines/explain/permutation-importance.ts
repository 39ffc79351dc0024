import type { MetricName } from '../../portfolio/project-spec.ts';
import { bootstrapMean } from '../evaluation/bootstrap.ts';
import { metricInfo, perRowMetrics } from '../evaluation/metrics.ts';
import { type FeatureValues, type ModelArtifact, predictProbabilities } from '../models/artifact.ts';
import { seededRandom, shuffledIndices } from '../random.ts';
import type { Estimate } from '../runs/run-record.ts';

export interface FeatureImportance {
  feature: string;
  /** How much worse `metric` gets when the feature's test values are shuffled (positive = it helps). */
  increase: Estimate;
}

/**
 * Permutation importance on the test rows: shuffle one feature's values across rows (breaking its
 * link with the outcome while keeping its distribution), rescore through the pure forward pass,
 * and record the per-row worsening of `metric`, averaged over `repeats` seeded shuffles. The
 * interval is a row bootstrap of that mean, so it reflects which matches were in the test season
 * as well as the luck of the shuffles. Features are sorted by importance, largest first.
 */
export function permutationImportance(
  artifact: ModelArtifact,
  rows: readonly FeatureValues[],
  outcomes: readonly number[],
  features: readonly string[],
  options: { metric: MetricName; repeats: number; seed: number; resamples: number },
): FeatureImportance[] {
  const score = perRowMetrics[options.metric];
  const sign = metricInfo[options.metric].higherIsBetter ? -1 : 1;
  const base = rows.map((row, i) => score(predictProbabilities(artifact, row), outcomes[i]!));
  const random = seededRandom(options.seed);
  const copies = rows.map((row) => ({ ...row }));
  const result = features.map((feature) => {
    const worsening = new Float64Array(rows.length);
    for (let r = 0; r < options.repeats; r++) {
      const order = shuffledIndices(rows.length, random);
      for (let i = 0; i < rows.length; i++) {
        const row = copies[i]!;
        row[feature] = rows[order[i]!]![feature]!;
        const worse = sign * (score(predictProbabilities(artifact, row), outcomes[i]!) - base[i]!);
        worsening[i]! += worse / options.repeats;
        row[feature] = rows[i]![feature]!;
      }
    }
    return {
      feature,
      increase: bootstrapMean(Array.from(worsening), { seed: options.seed, resamples: options.resamples }),
    };
  });
  return result.sort((a, b) => b.increase.value - a.increase.value || a.feature.localeCompare(b.feature));
}
