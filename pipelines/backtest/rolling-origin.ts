import type { FeatureRow } from '../features/match-features.ts';

export interface BacktestFold {
  trainSeasons: string[];
  testSeason: string;
  train: number[];
  test: number[];
}

/**
 * Rolling-origin folds: for each season N with at least `minTrainSeasons` seasons before it, train
 * on every season before N and test on N. The last fold is the project's final split when that
 * holds out one season. Rows must be sorted by date.
 */
export function rollingOriginFolds(rows: readonly FeatureRow[], minTrainSeasons: number): BacktestFold[] {
  const seasons = [...new Set(rows.map((row) => row.season))].sort();
  const folds: BacktestFold[] = [];
  for (let t = minTrainSeasons; t < seasons.length; t++) {
    const trainSeasons = seasons.slice(0, t);
    const testSeason = seasons[t]!;
    const inTrain = new Set(trainSeasons);
    const train: number[] = [];
    const test: number[] = [];
    rows.forEach((row, i) => {
      if (inTrain.has(row.season)) train.push(i);
      else if (row.season === testSeason) test.push(i);
    });
    folds.push({ trainSeasons, testSeason, train, test });
  }
  return folds;
}
