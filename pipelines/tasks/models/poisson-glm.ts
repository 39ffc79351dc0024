/** Poisson regression with a log link by Newton's method (IRLS); see linear.ts for the penalty. */
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
import { newtonMinimise } from './newton.ts';
import { standardisationSchema } from './standardisation.ts';
import { taskMismatch } from './training-set.ts';

export const poissonGlmTasks: readonly Task['kind'][] = ['count'];

export const poissonGlmArtifactSchema = z.strictObject({
  kind: z.literal('poisson-glm'),
  featureNames: featureNamesSchema,
  standardisation: standardisationSchema,
  weights: z.array(z.number()),
  intercept: z.number(),
});
export type PoissonGlmArtifact = z.output<typeof poissonGlmArtifactSchema>;

/** Poisson regression with a log link: the count forecast is Poisson(e^η). */
export function fitPoissonGlm(
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput = {},
  _seed = 0,
): PoissonGlmArtifact {
  const model = 'poisson-glm';
  const { rows, settings } = prepare(model, task, data, params);
  if (task.kind !== 'count') throw taskMismatch(model, task, poissonGlmTasks);
  const { x, n, d } = rows;
  const y = data.outcomes;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  if (mean === 0) {
    throw new MlfolioError({
      code: 'E_TRAINING_SET_INVALID',
      message: `${model}: every training outcome is 0, so the rate's logarithm has no finite estimate.`,
      hint: 'Check the target column, or train on rows where the count varies.',
    });
  }
  const eta = new Float64Array(n);
  const w = new Float64Array(n);
  const r = new Float64Array(n);
  const objective = (theta: Float64Array) => {
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let s = theta[d]!;
      for (let j = 0; j < d; j++) s += x[i * d + j]! * theta[j]!;
      eta[i] = s;
      loss += Math.exp(s) - y[i]! * s;
    }
    return loss / n + penalty(theta, d, settings.l2);
  };
  const start = new Float64Array(d + 1);
  start[d] = Math.log(mean);
  const result = newtonMinimise(
    {
      size: d + 1,
      objective,
      evaluate(theta, gradient, hessian, known) {
        const value = known ?? objective(theta);
        for (let i = 0; i < n; i++) {
          const mu = Math.exp(eta[i]!);
          r[i] = mu - y[i]!;
          w[i] = mu;
        }
        accumulateGlm(x, n, d, r, w, gradient, hessian);
        addPenalty(theta, d, d + 1, settings.l2, gradient, hessian);
        return value;
      },
    },
    start,
    newtonOptions(`${model} (${task.kind})`, settings, rows),
  );
  return {
    kind: model,
    featureNames: [...data.featureNames],
    standardisation: rows.standardisation,
    weights: Array.from(result.theta.subarray(0, d)),
    intercept: result.theta[d]!,
  };
}
