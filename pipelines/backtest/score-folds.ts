import type { MetricName } from '../../portfolio/project-spec.ts';
import { metricFunctions } from '../evaluation/metrics.ts';
import type { FeatureValues, ModelArtifact } from '../models/artifact.ts';
import { predictProbabilities } from '../models/artifact.ts';
import type { BacktestFold } from './rolling-origin.ts';

export interface FoldScores {
  trainSeasons: string[];
  testSeason: string;
  rows: number;
  /** metrics[modelId][metric]: point values on the fold's test season. */
  metrics: Record<string, Record<string, number>>;
}

/** Scores each fold's models on that fold's test season through the shared forward pass. */
export function scoreFolds(
  folds: readonly { fold: BacktestFold; models: readonly { id: string; artifact: ModelArtifact }[] }[],
  data: {
    features: (indices: readonly number[]) => FeatureValues[];
    outcomes: (indices: readonly number[]) => number[];
  },
  metrics: readonly MetricName[],
): FoldScores[] {
  return folds.map(({ fold, models }) => {
    const rows = data.features(fold.test);
    const outcomes = data.outcomes(fold.test);
    return {
      trainSeasons: fold.trainSeasons,
      testSeason: fold.testSeason,
      rows: fold.test.length,
      metrics: Object.fromEntries(
        models.map(({ id, artifact }) => {
          const p = rows.map((row) => predictProbabilities(artifact, row));
          return [id, Object.fromEntries(metrics.map((m) => [m, metricFunctions[m](p, outcomes)]))];
        }),
      ),
    };
  });
}
