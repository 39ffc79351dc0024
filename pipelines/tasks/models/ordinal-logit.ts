/** Ordinal logit (cumulative link, proportional odds) by Newton's method; see linear.ts for the penalty. */
import { z } from 'zod';
import type { Task, TrainingSet } from '../task.ts';
import {
  addPenalty,
  checkSeparation,
  featureNamesSchema,
  type LinearParamsInput,
  logisticDensity,
  newtonOptions,
  penalty,
  prepare,
  symmetrise,
} from './linear-fit.ts';
import { intervalProbability, sigmoid } from './linear-predictor.ts';
import { newtonMinimise } from './newton.ts';
import { standardisationSchema } from './standardisation.ts';
import { classCounts, taskMismatch } from './training-set.ts';

export const ordinalLogitTasks: readonly Task['kind'][] = ['binary', 'ordinal'];

export const ordinalLogitArtifactSchema = z.strictObject({
  kind: z.literal('ordinal-logit'),
  featureNames: featureNamesSchema,
  standardisation: standardisationSchema,
  weights: z.array(z.number()),
  /** classes − 1 increasing cut points: P(y ≤ k) = σ(thresholds[k] − η). */
  thresholds: z.array(z.number()),
});
export type OrdinalLogitArtifact = z.output<typeof ordinalLogitArtifactSchema>;

/**
 * Ordinal logit (cumulative link, proportional odds): P(y ≤ k) = σ(θₖ − η) for k below the top
 * class, one weight vector shared by every cut. The likelihood is concave in (θ, w) on the ordered
 * region, and steps that would unorder the thresholds are halved back, so they stay ordered.
 */
export function fitOrdinalLogit(
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput = {},
  _seed = 0,
): OrdinalLogitArtifact {
  const model = 'ordinal-logit';
  const { rows, settings } = prepare(model, task, data, params);
  if (task.kind !== 'ordinal' && task.kind !== 'binary') throw taskMismatch(model, task, ordinalLogitTasks);
  const counts = classCounts(task, data.outcomes, model);
  const { x, n, d } = rows;
  const y = data.outcomes;
  const cuts = counts.length - 1;
  const size = d + cuts;
  const eta = new Float64Array(n);
  const linear = (theta: Float64Array) => {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * theta[j]!;
      eta[i] = s;
    }
  };
  const ordered = (theta: Float64Array) => {
    for (let k = 1; k < cuts; k++) if (!(theta[d + k]! > theta[d + k - 1]!)) return false;
    return true;
  };
  const objective = (theta: Float64Array) => {
    if (!ordered(theta)) return Number.POSITIVE_INFINITY;
    linear(theta);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const k = y[i]!;
      const upper = k < cuts ? theta[d + k]! - eta[i]! : Number.POSITIVE_INFINITY;
      const lower = k > 0 ? theta[d + k - 1]! - eta[i]! : Number.NEGATIVE_INFINITY;
      loss -= Math.log(Math.max(1e-300, intervalProbability(lower, upper)));
    }
    return loss / n + penalty(theta, d, settings.l2);
  };
  const start = new Float64Array(size);
  let cumulative = 0;
  for (let k = 0; k < cuts; k++) {
    cumulative += counts[k]! / n;
    start[d + k] = Math.log(cumulative / (1 - cumulative));
  }
  const result = newtonMinimise(
    {
      size,
      objective,
      evaluate(theta, gradient, hessian, known) {
        const value = known ?? objective(theta);
        for (let i = 0; i < n; i++) {
          const k = y[i]!;
          const hasUpper = k < cuts;
          const hasLower = k > 0;
          const a = hasUpper ? theta[d + k]! - eta[i]! : 0;
          const b = hasLower ? theta[d + k - 1]! - eta[i]! : 0;
          const prob = intervalProbability(
            hasLower ? b : Number.NEGATIVE_INFINITY,
            hasUpper ? a : Number.POSITIVE_INFINITY,
          );
          const pr = Math.max(prob, 1e-300);
          const fa = hasUpper ? logisticDensity(a) : 0;
          const fb = hasLower ? logisticDensity(b) : 0;
          // ℓ = −log(F(a) − F(b)): first and second derivatives in a and b.
          const ga = -fa / pr;
          const gb = fb / pr;
          const haa = hasUpper ? (-fa * (1 - 2 * sigmoid(a))) / pr + (fa * fa) / (pr * pr) : 0;
          const hbb = hasLower ? (fb * (1 - 2 * sigmoid(b))) / pr + (fb * fb) / (pr * pr) : 0;
          const hab = -(fa * fb) / (pr * pr);
          // a and b move with +1 on their threshold and −x on the weights.
          const gw = -(ga + gb) / n;
          const hww = (haa + hbb + 2 * hab) / n;
          const hwa = -(haa + hab) / n;
          const hwb = -(hbb + hab) / n;
          const row = i * d;
          for (let j = 0; j < d; j++) {
            const xj = x[row + j]!;
            gradient[j]! += gw * xj;
            for (let j2 = j; j2 < d; j2++) hessian[j * size + j2]! += hww * xj * x[row + j2]!;
            if (hasUpper) hessian[j * size + d + k]! += hwa * xj;
            if (hasLower) hessian[j * size + d + k - 1]! += hwb * xj;
          }
          if (hasUpper) {
            gradient[d + k]! += ga / n;
            hessian[(d + k) * size + d + k]! += haa / n;
          }
          if (hasLower) {
            gradient[d + k - 1]! += gb / n;
            hessian[(d + k - 1) * size + d + k - 1]! += hbb / n;
            if (hasUpper) hessian[(d + k - 1) * size + d + k]! += hab / n;
          }
        }
        symmetrise(hessian, size);
        addPenalty(theta, d, size, settings.l2, gradient, hessian);
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
    thresholds: Array.from(result.theta.subarray(d)),
  };
}
