/** Ridge regression with a Gaussian predictive distribution; see linear.ts for the penalty. */
import { z } from 'zod';
import { MlfolioError } from '../../../portfolio/errors.ts';
import type { Task, TrainingSet } from '../task.ts';
import {
  accumulateGlm,
  addPenalty,
  featureNamesSchema,
  type LinearParamsInput,
  newtonOptions,
  penalty,
  prepare,
} from './linear-fit.ts';
import { choleskySolve, type NewtonResult, newtonMinimise } from './newton.ts';
import { standardisationSchema } from './standardisation.ts';
import { taskMismatch } from './training-set.ts';

export const ridgeTasks: readonly Task['kind'][] = ['regression'];

export const ridgeArtifactSchema = z.strictObject({
  kind: z.literal('ridge'),
  featureNames: featureNamesSchema,
  standardisation: standardisationSchema,
  weights: z.array(z.number()),
  intercept: z.number(),
  /** Predictive sd: √(RSS / (n − df)), df the trace of the ridge hat matrix plus 1 for the intercept. */
  sd: z.number().nonnegative(),
});
export type RidgeArtifact = z.output<typeof ridgeArtifactSchema>;

/**
 * Ridge regression with a Gaussian predictive distribution. The mean is the ridge fit; the sd is
 * √(RSS / (n − df)) on the training rows, df = 1 + tr(XᵀX·(XᵀX + 2·l2·n·I)⁻¹) the effective
 * number of parameters (n − p − 1 for ordinary least squares). It leaves out the uncertainty of
 * the coefficients, which is small when rows far outnumber features.
 */
export function fitRidge(
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput = {},
  _seed = 0,
): RidgeArtifact {
  const model = 'ridge';
  const { rows, settings } = prepare(model, task, data, params);
  if (task.kind !== 'regression') throw taskMismatch(model, task, ridgeTasks);
  const { x, n, d } = rows;
  const y = data.outcomes;
  const residual = new Float64Array(n);
  const predict = (theta: Float64Array) => {
    let rss = 0;
    for (let i = 0; i < n; i++) {
      let s = theta[d]!;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * theta[j]!;
      residual[i] = s - y[i]!;
      rss += residual[i]! ** 2;
    }
    return rss;
  };
  const objective = (theta: Float64Array) => predict(theta) / (2 * n) + penalty(theta, d, settings.l2);
  const start = new Float64Array(d + 1);
  start[d] = y.reduce((s, v) => s + v, 0) / n;
  const ones = new Float64Array(n).fill(1);
  const result = newtonMinimise(
    {
      size: d + 1,
      objective,
      evaluate(theta, gradient, hessian, known) {
        const value = known ?? objective(theta);
        accumulateGlm(x, n, d, residual, ones, gradient, hessian);
        addPenalty(theta, d, d + 1, settings.l2, gradient, hessian);
        return value;
      },
    },
    start,
    newtonOptions(`${model} (${task.kind})`, settings, rows),
  );
  const rss = predict(result.theta);
  const df = effectiveParameters(result, x, n, d);
  if (n - df <= 0.5) {
    throw new MlfolioError({
      code: 'E_MODEL_TOO_FEW_ROWS',
      message: `${model}: ${n} training rows for ${df.toFixed(1)} effective parameters leave no residual degrees of freedom to estimate the predictive sd.`,
      hint: 'Train on more rows, use fewer features, or raise l2.',
    });
  }
  return {
    kind: model,
    featureNames: [...data.featureNames],
    standardisation: rows.standardisation,
    weights: Array.from(result.theta.subarray(0, d)),
    intercept: result.theta[d]!,
    sd: Math.sqrt(rss / (n - df)),
  };
}

/** 1 + tr((H − 2·l2·I)·H⁻¹) over the weights, H the penalised Hessian at the solution (factored). */
function effectiveParameters(result: NewtonResult, x: Float64Array, n: number, d: number): number {
  const size = d + 1;
  // XᵀX/n over the standardised weights alone: the intercept decouples (columns are centred).
  const gram = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const xj = x[i * d + j]!;
      for (let j2 = 0; j2 < d; j2++) gram[j * d + j2]! += (xj * x[i * d + j2]!) / n;
    }
  }
  let trace = 0;
  const column = new Float64Array(size);
  const solved = new Float64Array(size);
  for (let j = 0; j < d; j++) {
    column.fill(0);
    for (let j2 = 0; j2 < d; j2++) column[j2] = gram[j2 * d + j]!;
    choleskySolve(result.cholesky, size, column, solved);
    trace += solved[j]!;
  }
  return 1 + trace;
}
