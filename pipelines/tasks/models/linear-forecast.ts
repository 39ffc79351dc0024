/**
 * The forecasts of the linear candidates (see linear.ts for the models and their fits). Browser-safe:
 * only types come from the model files, whose zod schemas must stay out of the demo's bundle.
 */
import type { Forecast } from '../task.ts';
import type { LinearArtifact } from './linear.ts';
import { intervalProbability, linearPredictor, sigmoid } from './linear-predictor.ts';
import type { LogisticRegressionArtifact } from './logistic-regression.ts';
import type { MultinomialLogitArtifact } from './multinomial-logit.ts';
import type { OrdinalLogitArtifact } from './ordinal-logit.ts';
import type { PoissonGlmArtifact } from './poisson-glm.ts';
import type { RidgeArtifact } from './ridge.ts';

export function forecastLogisticRegression(
  artifact: LogisticRegressionArtifact,
  row: readonly number[],
): Forecast {
  const p = sigmoid(linearPredictor(artifact.standardisation, artifact.weights, artifact.intercept, row));
  return { kind: 'probabilities', p: [1 - p, p] };
}

export function forecastMultinomialLogit(
  artifact: MultinomialLogitArtifact,
  row: readonly number[],
): Forecast {
  const logits = artifact.weights.map((w, k) =>
    linearPredictor(artifact.standardisation, w, artifact.intercepts[k]!, row),
  );
  const max = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return { kind: 'probabilities', p: exps.map((e) => e / total) };
}

export function forecastOrdinalLogit(artifact: OrdinalLogitArtifact, row: readonly number[]): Forecast {
  const eta = linearPredictor(artifact.standardisation, artifact.weights, 0, row);
  const cuts = artifact.thresholds;
  const p = Array.from({ length: cuts.length + 1 }, (_, k) =>
    intervalProbability(
      k > 0 ? cuts[k - 1]! - eta : Number.NEGATIVE_INFINITY,
      k < cuts.length ? cuts[k]! - eta : Number.POSITIVE_INFINITY,
    ),
  );
  return { kind: 'probabilities', p };
}

export function forecastRidge(artifact: RidgeArtifact, row: readonly number[]): Forecast {
  return {
    kind: 'gaussian',
    mean: linearPredictor(artifact.standardisation, artifact.weights, artifact.intercept, row),
    sd: artifact.sd,
  };
}

export function forecastPoissonGlm(artifact: PoissonGlmArtifact, row: readonly number[]): Forecast {
  return {
    kind: 'poisson',
    mean: Math.exp(linearPredictor(artifact.standardisation, artifact.weights, artifact.intercept, row)),
  };
}

/** Forecasts one row (values in `artifact.featureNames` order) with any linear artifact. */
export function forecastLinear(artifact: LinearArtifact, row: readonly number[]): Forecast {
  switch (artifact.kind) {
    case 'logistic-regression':
      return forecastLogisticRegression(artifact, row);
    case 'multinomial-logit':
      return forecastMultinomialLogit(artifact, row);
    case 'ordinal-logit':
      return forecastOrdinalLogit(artifact, row);
    case 'ridge':
      return forecastRidge(artifact, row);
    case 'poisson-glm':
      return forecastPoissonGlm(artifact, row);
  }
}
