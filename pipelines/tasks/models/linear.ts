/**
 * Linear candidates for every task, fitted by Newton's method (IRLS for the GLMs) with an L2
 * penalty on standardised features; intercepts and ordinal thresholds are not penalised:
 *
 * | kind                  | tasks                            | forecast                                 |
 * |-----------------------|----------------------------------|------------------------------------------|
 * | `logistic-regression` | binary                           | P(positive) = σ(η)                       |
 * | `multinomial-logit`   | binary, multiclass, ordinal      | softmax of one η per class               |
 * | `ordinal-logit`       | binary, ordinal                  | P(y ≤ k) = σ(θₖ − η), θ₀ < θ₁ < …        |
 * | `ridge`               | regression                       | N(η, sd²), sd from training residuals    |
 * | `poisson-glm`         | count                            | Poisson(e^η)                             |
 *
 * Each minimises the mean negative log-likelihood plus `l2`·Σw² (for ridge, the unit-variance
 * Gaussian one, ½·(y − η)²). In scikit-learn's terms, on `StandardScaler` output and n rows:
 * LogisticRegression C = 1/(2·l2·n); Ridge alpha = 2·l2·n; PoissonRegressor alpha = 2·l2.
 *
 * Their forecasts are in `linear-forecast.ts`, which the browser demo bundles without the model
 * files' zod schemas.
 */
import { z } from 'zod';
import type { Task, TrainingSet } from '../task.ts';
import type { LinearParamsInput } from './linear-fit.ts';
import {
  fitLogisticRegression,
  logisticRegressionArtifactSchema,
  logisticRegressionTasks,
} from './logistic-regression.ts';
import {
  fitMultinomialLogit,
  multinomialLogitArtifactSchema,
  multinomialLogitTasks,
} from './multinomial-logit.ts';
import { fitOrdinalLogit, ordinalLogitArtifactSchema, ordinalLogitTasks } from './ordinal-logit.ts';
import { fitPoissonGlm, poissonGlmArtifactSchema, poissonGlmTasks } from './poisson-glm.ts';
import { fitRidge, ridgeArtifactSchema, ridgeTasks } from './ridge.ts';

export { type LinearParams, type LinearParamsInput, linearParamsSchema } from './linear-fit.ts';
export * from './logistic-regression.ts';
export * from './multinomial-logit.ts';
export * from './ordinal-logit.ts';
export * from './poisson-glm.ts';
export * from './ridge.ts';

export const linearArtifactSchema = z.discriminatedUnion('kind', [
  logisticRegressionArtifactSchema,
  multinomialLogitArtifactSchema,
  ordinalLogitArtifactSchema,
  ridgeArtifactSchema,
  poissonGlmArtifactSchema,
]);
export type LinearArtifact = z.output<typeof linearArtifactSchema>;
export type LinearKind = LinearArtifact['kind'];

/** The tasks each linear kind can fit. */
export const linearModelTasks: Readonly<Record<LinearKind, readonly Task['kind'][]>> = {
  'logistic-regression': logisticRegressionTasks,
  'multinomial-logit': multinomialLogitTasks,
  'ordinal-logit': ordinalLogitTasks,
  ridge: ridgeTasks,
  'poisson-glm': poissonGlmTasks,
};

/** Fits any linear kind: the single entry the pipeline needs. */
export function fitLinear(
  kind: LinearKind,
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput = {},
  seed = 0,
): LinearArtifact {
  switch (kind) {
    case 'logistic-regression':
      return fitLogisticRegression(task, data, params, seed);
    case 'multinomial-logit':
      return fitMultinomialLogit(task, data, params, seed);
    case 'ordinal-logit':
      return fitOrdinalLogit(task, data, params, seed);
    case 'ridge':
      return fitRidge(task, data, params, seed);
    case 'poisson-glm':
      return fitPoissonGlm(task, data, params, seed);
  }
}
