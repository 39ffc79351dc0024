/** Multinomial logit by Newton's method; see linear.ts for the penalty. */
import { z } from 'zod';
import type { Task, TrainingSet } from '../task.ts';
import {
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

export const multinomialLogitTasks: readonly Task['kind'][] = ['binary', 'multiclass', 'ordinal'];

export const multinomialLogitArtifactSchema = z.strictObject({
  kind: z.literal('multinomial-logit'),
  featureNames: featureNamesSchema,
  standardisation: standardisationSchema,
  /** weights[k][j]: class k, feature j. */
  weights: z.array(z.array(z.number())),
  /** One per class; the last is 0 (the softmax is unchanged by a common shift). */
  intercepts: z.array(z.number()),
});
export type MultinomialLogitArtifact = z.output<typeof multinomialLogitArtifactSchema>;

/**
 * Multinomial logit: one weight vector per class (all penalised, as in scikit-learn's
 * multinomial LogisticRegression; with l2 = 0 the last class's is fixed at 0) and an intercept per
 * class, the last fixed at 0.
 */
export function fitMultinomialLogit(
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput = {},
  _seed = 0,
): MultinomialLogitArtifact {
  const model = 'multinomial-logit';
  const { rows, settings } = prepare(model, task, data, params);
  if (!('classes' in task)) throw taskMismatch(model, task, multinomialLogitTasks);
  const counts = classCounts(task, data.outcomes, model);
  const { x, n, d } = rows;
  const y = data.outcomes;
  const classes = counts.length;
  // Penalised, every class has its own weights (the penalty identifies them, as in scikit-learn);
  // unpenalised, the last class's weights are fixed at 0, since a common shift changes nothing.
  const weighted = settings.l2 > 0 ? classes : classes - 1;
  const size = weighted * d + classes - 1;
  const bias = (k: number) => weighted * d + k;
  const p = new Float64Array(n * classes);
  const predict = (theta: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let max = Number.NEGATIVE_INFINITY;
      for (let k = 0; k < classes; k++) {
        let s = k < classes - 1 ? theta[bias(k)]! : 0;
        if (k < weighted) for (let j = 0; j < d; j++) s += x[i * d + j]! * theta[k * d + j]!;
        p[i * classes + k] = s;
        if (s > max) max = s;
      }
      let total = 0;
      for (let k = 0; k < classes; k++) {
        const e = Math.exp(p[i * classes + k]! - max);
        p[i * classes + k] = e;
        total += e;
      }
      for (let k = 0; k < classes; k++) p[i * classes + k]! /= total;
      loss -= Math.log(Math.max(1e-300, p[i * classes + y[i]!]!));
    }
    return loss;
  };
  const objective = (theta: Float64Array) => predict(theta) / n + penalty(theta, weighted * d, settings.l2);
  const start = new Float64Array(size);
  for (let k = 0; k < classes - 1; k++) start[bias(k)] = Math.log(counts[k]! / counts[classes - 1]!);
  // Index of parameter (class k, column j), the intercept being column d; −1 for one fixed at 0.
  const at = (k: number, j: number) =>
    j < d ? (k < weighted ? k * d + j : -1) : k < classes - 1 ? bias(k) : -1;
  const result = newtonMinimise(
    {
      size,
      objective,
      evaluate(theta, gradient, hessian, known) {
        const value = known ?? objective(theta);
        // Σᵢ Wₖₗ(i)·x̃ᵢx̃ᵢᵀ for each class pair k ≤ l (upper triangles), Wₖₗ = pₖ(δₖₗ − pₗ), x̃ = (x, 1):
        // one small Gram matrix per pair, then scattered into the Hessian once. Each row of W sums
        // to 0, so only the pairs without the last class are accumulated; the others follow.
        const width = d + 1;
        const block = width * width;
        const last = classes - 1;
        const pairOf = new Int32Array(classes * classes);
        const accumulated: number[] = [];
        let pairs = 0;
        for (let k = 0; k < classes; k++) {
          for (let l = k; l < classes; l++) {
            pairOf[k * classes + l] = pairs;
            pairOf[l * classes + k] = pairs;
            if (l < last) accumulated.push(k * classes + l);
            pairs++;
          }
        }
        const gram = new Float64Array(pairs * block);
        const gradientByClass = new Float64Array(classes * width);
        const xi = new Float64Array(width);
        xi[d] = 1;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < d; j++) xi[j] = x[i * d + j]!;
          const offset = i * classes;
          for (let k = 0; k < classes; k++) {
            const residual = p[offset + k]! - (y[i] === k ? 1 : 0);
            for (let j = 0; j < width; j++) gradientByClass[k * width + j]! += residual * xi[j]!;
          }
          for (const kl of accumulated) {
            const k = Math.floor(kl / classes);
            const l = kl % classes;
            const w = p[offset + k]! * ((k === l ? 1 : 0) - p[offset + l]!);
            const base = pairOf[kl]! * block;
            for (let j = 0; j < width; j++) {
              const wx = w * xi[j]!;
              const row = base + j * width;
              for (let j2 = j; j2 < width; j2++) gram[row + j2]! += wx * xi[j2]!;
            }
          }
        }
        // G(k, last) = −Σ_{l<last} G(k, l), then G(last, last) = −Σ_{k<last} G(k, last).
        for (let k = 0; k <= last; k++) {
          const target = pairOf[k * classes + last]! * block;
          for (let l = 0; l < last; l++) {
            const source = pairOf[(k === last ? l : k) * classes + (k === last ? last : l)]! * block;
            for (let e = 0; e < block; e++) gram[target + e]! -= gram[source + e]!;
          }
        }
        for (let k = 0; k < classes; k++) {
          for (let j = 0; j < width; j++) {
            const a = at(k, j);
            if (a >= 0) gradient[a] = gradientByClass[k * width + j]! / n;
          }
        }
        let pair = 0;
        for (let k = 0; k < classes; k++) {
          for (let l = k; l < classes; l++, pair++) {
            const base = pair * width * width;
            for (let j = 0; j < width; j++) {
              const a = at(k, j);
              if (a < 0) continue;
              for (let j2 = 0; j2 < width; j2++) {
                const b = at(l, j2);
                if (b < 0) continue;
                // The Gram block holds only j ≤ j2; the other half is its mirror image.
                const entry = gram[base + Math.min(j, j2) * width + Math.max(j, j2)]! / n;
                hessian[a * size + b] = entry;
                hessian[b * size + a] = entry;
              }
            }
          }
        }
        addPenalty(theta, weighted * d, size, settings.l2, gradient, hessian);
        return value;
      },
    },
    start,
    newtonOptions(`${model} (${task.kind})`, settings, rows),
  );
  const theta = result.theta;
  checkSeparation(`${model} (${task.kind})`, theta.subarray(0, weighted * d), data.featureNames);
  return {
    kind: model,
    featureNames: [...data.featureNames],
    standardisation: rows.standardisation,
    weights: Array.from({ length: classes }, (_, k) =>
      k < weighted ? Array.from(theta.subarray(k * d, (k + 1) * d)) : new Array<number>(d).fill(0),
    ),
    intercepts: Array.from({ length: classes }, (_, k) => (k < classes - 1 ? theta[bias(k)]! : 0)),
  };
}
