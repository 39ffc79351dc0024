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
 * The `forecast…` functions are pure and import nothing from Node: they run in the browser demo.
 */
import { z } from 'zod';
import { MlfolioError } from '../../../portfolio/errors.ts';
import type { Forecast, Task, TrainingSet } from '../task.ts';
import { choleskySolve, type NewtonResult, newtonMinimise } from './newton.ts';
import { parseParams } from './params.ts';
import {
  linearPredictor,
  type StandardisedRows,
  standardisationSchema,
  standardiseTrainingSet,
} from './standardisation.ts';
import { checkTrainingSet, classCounts, taskMismatch } from './training-set.ts';

export const linearParamsSchema = z.strictObject({
  /** Penalty on the mean loss per unit of Σw² (standardised weights). */
  l2: z.number().nonnegative().default(1e-3),
  maxIterations: z.number().int().positive().max(1000).default(100),
  /** Take a last full step and stop when the predicted fall of the objective (half the Newton decrement) is below this. */
  tolerance: z.number().positive().max(1e-2).default(1e-10),
});
export type LinearParams = z.output<typeof linearParamsSchema>;
export type LinearParamsInput = z.input<typeof linearParamsSchema>;

const featureNames = z.array(z.string()).min(1);

export const logisticRegressionArtifactSchema = z.strictObject({
  kind: z.literal('logistic-regression'),
  featureNames,
  standardisation: standardisationSchema,
  weights: z.array(z.number()),
  intercept: z.number(),
});
export const multinomialLogitArtifactSchema = z.strictObject({
  kind: z.literal('multinomial-logit'),
  featureNames,
  standardisation: standardisationSchema,
  /** weights[k][j]: class k, feature j. */
  weights: z.array(z.array(z.number())),
  /** One per class; the last is 0 (the softmax is unchanged by a common shift). */
  intercepts: z.array(z.number()),
});
export const ordinalLogitArtifactSchema = z.strictObject({
  kind: z.literal('ordinal-logit'),
  featureNames,
  standardisation: standardisationSchema,
  weights: z.array(z.number()),
  /** classes − 1 increasing cut points: P(y ≤ k) = σ(thresholds[k] − η). */
  thresholds: z.array(z.number()),
});
export const ridgeArtifactSchema = z.strictObject({
  kind: z.literal('ridge'),
  featureNames,
  standardisation: standardisationSchema,
  weights: z.array(z.number()),
  intercept: z.number(),
  /** Predictive sd: √(RSS / (n − df)), df the trace of the ridge hat matrix plus 1 for the intercept. */
  sd: z.number().nonnegative(),
});
export const poissonGlmArtifactSchema = z.strictObject({
  kind: z.literal('poisson-glm'),
  featureNames,
  standardisation: standardisationSchema,
  weights: z.array(z.number()),
  intercept: z.number(),
});
export const linearArtifactSchema = z.discriminatedUnion('kind', [
  logisticRegressionArtifactSchema,
  multinomialLogitArtifactSchema,
  ordinalLogitArtifactSchema,
  ridgeArtifactSchema,
  poissonGlmArtifactSchema,
]);
export type LogisticRegressionArtifact = z.output<typeof logisticRegressionArtifactSchema>;
export type MultinomialLogitArtifact = z.output<typeof multinomialLogitArtifactSchema>;
export type OrdinalLogitArtifact = z.output<typeof ordinalLogitArtifactSchema>;
export type RidgeArtifact = z.output<typeof ridgeArtifactSchema>;
export type PoissonGlmArtifact = z.output<typeof poissonGlmArtifactSchema>;
export type LinearArtifact = z.output<typeof linearArtifactSchema>;
export type LinearKind = LinearArtifact['kind'];

/** The tasks each linear kind can fit. */
export const linearModelTasks: Readonly<Record<LinearKind, readonly Task['kind'][]>> = {
  'logistic-regression': ['binary'],
  'multinomial-logit': ['binary', 'multiclass', 'ordinal'],
  'ordinal-logit': ['binary', 'ordinal'],
  ridge: ['regression'],
  'poisson-glm': ['count'],
};

const singularHint = (rows: StandardisedRows) =>
  rows.constant.length
    ? `Feature${rows.constant.length > 1 ? 's' : ''} ${rows.constant.map((f) => `"${f}"`).join(', ')} never vary in training: drop ${rows.constant.length > 1 ? 'them' : 'it'}, or set l2 > 0.`
    : 'Two or more features are (almost) linear combinations of each other: drop one, or set l2 > 0.';

/** Binary logistic regression: P(positive class) = σ(intercept + w·x̃). */
export function fitLogisticRegression(
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput = {},
  _seed = 0,
): LogisticRegressionArtifact {
  const model = 'logistic-regression';
  const { rows, settings } = prepare(model, task, data, params);
  if (task.kind !== 'binary') throw taskMismatch(model, task, linearModelTasks[model]);
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
      evaluate(theta, gradient, hessian) {
        const value = objective(theta);
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

export function forecastLogisticRegression(
  artifact: LogisticRegressionArtifact,
  row: readonly number[],
): Forecast {
  const p = sigmoid(linearPredictor(artifact.standardisation, artifact.weights, artifact.intercept, row));
  return { kind: 'probabilities', p: [1 - p, p] };
}

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
  if (!('classes' in task)) throw taskMismatch(model, task, linearModelTasks[model]);
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
      evaluate(theta, gradient, hessian) {
        const value = objective(theta);
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
  if (task.kind !== 'ordinal' && task.kind !== 'binary')
    throw taskMismatch(model, task, linearModelTasks[model]);
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
      evaluate(theta, gradient, hessian) {
        const value = objective(theta);
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
  if (task.kind !== 'regression') throw taskMismatch(model, task, linearModelTasks[model]);
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
      evaluate(theta, gradient, hessian) {
        const value = objective(theta);
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

export function forecastRidge(artifact: RidgeArtifact, row: readonly number[]): Forecast {
  return {
    kind: 'gaussian',
    mean: linearPredictor(artifact.standardisation, artifact.weights, artifact.intercept, row),
    sd: artifact.sd,
  };
}

/** Poisson regression with a log link: the count forecast is Poisson(e^η). */
export function fitPoissonGlm(
  task: Task,
  data: TrainingSet,
  params: LinearParamsInput = {},
  _seed = 0,
): PoissonGlmArtifact {
  const model = 'poisson-glm';
  const { rows, settings } = prepare(model, task, data, params);
  if (task.kind !== 'count') throw taskMismatch(model, task, linearModelTasks[model]);
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
      evaluate(theta, gradient, hessian) {
        const value = objective(theta);
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

export function forecastPoissonGlm(artifact: PoissonGlmArtifact, row: readonly number[]): Forecast {
  return {
    kind: 'poisson',
    mean: Math.exp(linearPredictor(artifact.standardisation, artifact.weights, artifact.intercept, row)),
  };
}

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

function prepare(
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

function checkSeparation(model: string, weights: Float64Array, names: readonly string[]): void {
  const index = weights.findIndex((w) => Math.abs(w) > separatedWeight);
  if (index < 0) return;
  throw new MlfolioError({
    code: 'E_MODEL_NOT_CONVERGED',
    message: `${model}: the weight of "${names[index % names.length]}" grew to ${weights[index]!.toFixed(1)} log-odds per standard deviation: the classes are (almost) perfectly separated in training, so the likelihood has no maximum.`,
    hint: 'Raise l2 so the weights stay finite, or check the feature for information from after the event (leakage).',
  });
}

function newtonOptions(model: string, settings: LinearParams, rows: StandardisedRows) {
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
function accumulateGlm(
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
function symmetrise(hessian: Float64Array, size: number): void {
  for (let a = 0; a < size; a++)
    for (let b = a + 1; b < size; b++) hessian[b * size + a] = hessian[a * size + b]!;
}

/** l2·Σw² over the first `penalised` parameters. */
function penalty(theta: Float64Array, penalised: number, l2: number): number {
  let sum = 0;
  for (let a = 0; a < penalised; a++) sum += theta[a]! ** 2;
  return l2 * sum;
}

function addPenalty(
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

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function logisticDensity(z: number): number {
  const s = sigmoid(z);
  return s * (1 - s);
}

/** σ(upper) − σ(lower), computed on the side of 0 where it does not cancel. */
function intervalProbability(lower: number, upper: number): number {
  if (lower > 0) return sigmoid(-lower) - sigmoid(-upper);
  return sigmoid(upper) - sigmoid(lower);
}
