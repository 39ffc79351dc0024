/**
 * What every linear model's fit shares: its params, the checks and standardisation before a fit,
 * the Newton options, the penalty, the GLM gradient and Hessian accumulation, and the logistic
 * density. The logistic function itself is in `linear-predictor.ts`, with what the forecasts use.
 */
import { z } from 'zod';
import { MlfolioError } from '../../../portfolio/errors.ts';
import type { Task, TrainingSet } from '../task.ts';
import { sigmoid } from './linear-predictor.ts';
import { parseParams } from './params.ts';
import { type StandardisedRows, standardiseTrainingSet } from './standardisation.ts';
import { checkTrainingSet } from './training-set.ts';

export const linearParamsSchema = z.strictObject({
  /** Penalty on the mean loss per unit of Σw² (standardised weights). */
  l2: z.number().nonnegative().default(1e-3),
  maxIterations: z.number().int().positive().max(1000).default(100),
  /** Take a last full step and stop when the predicted fall of the objective (half the Newton decrement) is below this. */
  tolerance: z.number().positive().max(1e-2).default(1e-10),
});
export type LinearParams = z.output<typeof linearParamsSchema>;
export type LinearParamsInput = z.input<typeof linearParamsSchema>;

export const featureNamesSchema = z.array(z.string()).min(1);

const singularHint = (rows: StandardisedRows) =>
  rows.constant.length
    ? `Feature${rows.constant.length > 1 ? 's' : ''} ${rows.constant.map((f) => `"${f}"`).join(', ')} never vary in training: drop ${rows.constant.length > 1 ? 'them' : 'it'}, or set l2 > 0.`
    : 'Two or more features are (almost) linear combinations of each other: drop one, or set l2 > 0.';

/** The start of every linear fit: params parsed with defaults, the training set checked, its rows standardised. */
export function prepare(
  model: string,
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput,
): { rows: StandardisedRows; settings: LinearParams } {
  const settings = parseParams(model, linearParamsSchema, params);
  checkTrainingSet(task, data, model);
  if (data.featureNames.length === 0) {
    throw new MlfolioError({
      code: 'E_TRAINING_SET_INVALID',
      message: `${model}: the training set has no features.`,
      hint: 'Declare at least one feature for the model, or use a baseline that needs none.',
    });
  }
  return { rows: standardiseTrainingSet(data), settings };
}

/**
 * Log-odds that move by more than this per standard deviation of a feature mean the classes are
 * (almost) perfectly separated: the likelihood has no maximum and the weights only grew until the
 * fall of the objective was lost in rounding.
 */
const separatedWeight = 30;

export function checkSeparation(model: string, weights: Float64Array, names: readonly string[]): void {
  const index = weights.findIndex((w) => Math.abs(w) > separatedWeight);
  if (index < 0) return;
  throw new MlfolioError({
    code: 'E_MODEL_NOT_CONVERGED',
    message: `${model}: the weight of "${names[index % names.length]}" grew to ${weights[index]!.toFixed(1)} log-odds per standard deviation: the classes are (almost) perfectly separated in training, so the likelihood has no maximum.`,
    hint: 'Raise l2 so the weights stay finite, or check the feature for information from after the event (leakage).',
  });
}

export function newtonOptions(model: string, settings: LinearParams, rows: StandardisedRows) {
  return {
    model,
    maxIterations: settings.maxIterations,
    tolerance: settings.tolerance,
    singularHint: singularHint(rows),
  };
}

/**
 * Adds Σᵢ rᵢ·x̃ᵢ / n to the gradient and Σᵢ wᵢ·x̃ᵢx̃ᵢᵀ / n to the Hessian, x̃ᵢ being row i of the
 * standardised features followed by 1 (the intercept, parameter d).
 */
export function accumulateGlm(
  x: Float64Array,
  n: number,
  d: number,
  r: Float64Array,
  w: Float64Array,
  gradient: Float64Array,
  hessian: Float64Array,
): void {
  const size = d + 1;
  for (let i = 0; i < n; i++) {
    const row = i * d;
    const ri = r[i]!;
    const wi = w[i]!;
    for (let j = 0; j < d; j++) {
      const xj = x[row + j]!;
      gradient[j]! += ri * xj;
      const wx = wi * xj;
      const offset = j * size;
      for (let j2 = j; j2 < d; j2++) hessian[offset + j2]! += wx * x[row + j2]!;
      hessian[offset + d]! += wx;
    }
    gradient[d]! += ri;
    hessian[d * size + d]! += wi;
  }
  for (let a = 0; a < size; a++) gradient[a]! /= n;
  for (let a = 0; a < size; a++) for (let b = a; b < size; b++) hessian[a * size + b]! /= n;
  symmetrise(hessian, size);
}

/** Copies the upper triangle onto the lower one. */
export function symmetrise(hessian: Float64Array, size: number): void {
  for (let a = 0; a < size; a++)
    for (let b = a + 1; b < size; b++) hessian[b * size + a] = hessian[a * size + b]!;
}

/** l2·Σw² over the first `penalised` parameters. */
export function penalty(theta: Float64Array, penalised: number, l2: number): number {
  let sum = 0;
  for (let a = 0; a < penalised; a++) sum += theta[a]! ** 2;
  return l2 * sum;
}

export function addPenalty(
  theta: Float64Array,
  penalised: number,
  size: number,
  l2: number,
  gradient: Float64Array,
  hessian: Float64Array,
): void {
  for (let a = 0; a < penalised; a++) {
    gradient[a]! += 2 * l2 * theta[a]!;
    hessian[a * size + a]! += 2 * l2;
  }
}

export function logisticDensity(z: number): number {
  const s = sigmoid(z);
  return s * (1 - s);
}
