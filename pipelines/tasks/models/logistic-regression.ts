/** Binary logistic regression by Newton's method (IRLS); see linear.ts for the penalty. */
import { z } from 'zod';
import type { Task, TrainingSet } from '../task.ts';
import {
  accumulateGlm,
  addPenalty,
  checkSeparation,
  featureNamesSchema,
  type LinearParamsInput,
  newtonOptions,
  penalty,
  prepare,
} from './linear-fit.ts';
import { newtonMinimise } from './newton.ts';
import { standardisationSchema } from './standardisation.ts';
import { classCounts, taskMismatch } from './training-set.ts';

export const logisticRegressionTasks: readonly Task['kind'][] = ['binary'];

export const logisticRegressionArtifactSchema = z.strictObject({
  kind: z.literal('logistic-regression'),
  featureNames: featureNamesSchema,
  standardisation: standardisationSchema,
  weights: z.array(z.number()),
  intercept: z.number(),
});
export type LogisticRegressionArtifact = z.output<typeof logisticRegressionArtifactSchema>;

/** Binary logistic regression: P(positive class) = σ(intercept + w·x̃). */
export function fitLogisticRegression(
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput = {},
  _seed = 0,
): LogisticRegressionArtifact {
  const model = 'logistic-regression';
  const { rows, settings } = prepare(model, task, data, params);
  if (task.kind !== 'binary') throw taskMismatch(model, task, logisticRegressionTasks);
  const counts = classCounts(task, data.outcomes, model);
  const { x, n, d } = rows;
  const y = data.outcomes;
  const eta = new Float64Array(n);
  const w = new Float64Array(n);
  const r = new Float64Array(n);
  const predict = (theta: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = theta[d]!;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * theta[j]!;
      eta[i] = s;
    }
  };
  // probability[i] = σ(ηᵢ), kept from the last objective for the gradient: one exp per row serves both.
  const probability = new Float64Array(n);
  const objective = (theta: Float64Array) => {
    predict(theta);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const z = eta[i]!;
      const e = Math.exp(-Math.abs(z));
      loss += Math.max(z, 0) + Math.log1p(e) - y[i]! * z;
      probability[i] = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    }
    return loss / n + penalty(theta, d, settings.l2);
  };
  const start = new Float64Array(d + 1);
  start[d] = Math.log(counts[1]! / counts[0]!);
  const result = newtonMinimise(
    {
      size: d + 1,
      objective,
      evaluate(theta, gradient, hessian, known) {
        const value = known ?? objective(theta);
        for (let i = 0; i < n; i++) {
          const p = probability[i]!;
          r[i] = p - y[i]!;
          w[i] = p * (1 - p);
        }
        accumulateGlm(x, n, d, r, w, gradient, hessian);
        addPenalty(theta, d, d + 1, settings.l2, gradient, hessian);
        return value;
      },
    },
    start,
    newtonOptions(`${model} (${task.kind})`, settings, rows),
  );
  checkSeparation(`${model} (${task.kind})`, result.theta.subarray(0, d), data.featureNames);
  return {
    kind: model,
    featureNames: [...data.featureNames],
    standardisation: rows.standardisation,
    weights: Array.from(result.theta.subarray(0, d)),
    intercept: result.theta[d]!,
  };
}
