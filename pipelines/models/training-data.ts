import type { Outcome } from '../features/match-features.ts';
import type { Standardisation } from './artifact.ts';

/** What a model is fitted on: feature values by name, and outcomes (0 home win, 1 draw, 2 away win). */
export interface TrainingData {
  rows: readonly Readonly<Record<string, number>>[];
  outcomes: readonly Outcome[];
  /** The features the project declares as model inputs. */
  featureNames: readonly string[];
}

export function matrixOf(data: TrainingData): number[][] {
  return data.rows.map((row) => data.featureNames.map((name) => row[name]!));
}

/** Mean and standard deviation of each feature column; constant columns get std 1. */
export function standardisationOf(matrix: readonly (readonly number[])[]): Standardisation {
  const columns = matrix[0]?.length ?? 0;
  const mean = Array.from(
    { length: columns },
    (_, j) => matrix.reduce((s, row) => s + row[j]!, 0) / matrix.length,
  );
  const std = mean.map((mu, j) => {
    const variance = matrix.reduce((s, row) => s + (row[j]! - mu) ** 2, 0) / matrix.length;
    return variance > 0 ? Math.sqrt(variance) : 1;
  });
  return { mean, std };
}

export function applyStandardisation(matrix: readonly (readonly number[])[], s: Standardisation): number[][] {
  return matrix.map((row) => row.map((value, j) => (value - s.mean[j]!) / s.std[j]!));
}
