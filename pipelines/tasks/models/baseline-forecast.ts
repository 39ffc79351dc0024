/**
 * The forecasts of the baselines (see baselines.ts for what each is and how it is fitted).
 * Browser-safe: only types come from the model files, whose zod schemas must stay out of the
 * demo's bundle.
 */
import type { Forecast } from '../task.ts';
import type {
  BaselineArtifact,
  ClassPriorArtifact,
  MeanArtifact,
  MeanRateArtifact,
  MedianArtifact,
  PersistenceArtifact,
  RatingArtifact,
} from './baselines.ts';
import { forecastLinear } from './linear-forecast.ts';

/** The smallest Poisson mean a persistence forecast uses, so a feature value of 0 scores finitely. */
export const minimumPoissonMean = 1e-6;

export function forecastClassPrior(artifact: ClassPriorArtifact, _row: readonly number[] = []): Forecast {
  return { kind: 'probabilities', p: artifact.probabilities };
}

export function forecastMean(artifact: MeanArtifact, _row: readonly number[] = []): Forecast {
  return { kind: 'gaussian', mean: artifact.mean, sd: artifact.sd };
}

export function forecastMedian(artifact: MedianArtifact, _row: readonly number[] = []): Forecast {
  return { kind: 'gaussian', mean: artifact.median, sd: artifact.sd };
}

export function forecastMeanRate(artifact: MeanRateArtifact, _row: readonly number[] = []): Forecast {
  return { kind: 'poisson', mean: artifact.mean };
}

export function forecastPersistence(artifact: PersistenceArtifact, row: readonly number[]): Forecast {
  const value = row[0]!;
  return artifact.task === 'count'
    ? { kind: 'poisson', mean: Math.max(minimumPoissonMean, value) }
    : { kind: 'gaussian', mean: value, sd: artifact.sd ?? 0 };
}

export function forecastRating(artifact: RatingArtifact, row: readonly number[]): Forecast {
  return forecastLinear(artifact.model, row);
}

/** Forecasts one row (values in `artifact.featureNames` order) with any baseline artifact. */
export function forecastBaseline(artifact: BaselineArtifact, row: readonly number[]): Forecast {
  switch (artifact.kind) {
    case 'class-prior':
      return forecastClassPrior(artifact);
    case 'mean':
      return forecastMean(artifact);
    case 'median':
      return forecastMedian(artifact);
    case 'mean-rate':
      return forecastMeanRate(artifact);
    case 'persistence':
      return forecastPersistence(artifact, row);
    case 'rating':
      return forecastRating(artifact, row);
  }
}
