/**
 * Baselines that fit the task, the references every candidate's skill is measured against:
 *
 * | kind          | tasks                      | forecast                                                 |
 * |---------------|----------------------------|----------------------------------------------------------|
 * | `class-prior` | binary, multiclass, ordinal| the training class frequencies, for every row            |
 * | `mean`        | regression                 | N(training mean, training sd²)                           |
 * | `median`      | regression                 | N(training median, s²), s the RMS deviation from it      |
 * | `mean-rate`   | count                      | Poisson(training mean)                                   |
 * | `persistence` | regression, count          | a declared feature's value as the mean (last season's    |
 * |               |                            | wins, a Pythagorean expectation the feature store built) |
 * | `rating`      | every task                 | a linear model of the task on one declared feature      |
 * |               |                            | (a rating difference for pairwise events), unpenalised   |
 *
 * None knows a sport: the feature a persistence or rating baseline uses is named by the project.
 * Their forecasts are in `baseline-forecast.ts`, which the browser demo bundles without this file's
 * zod schemas.
 */
import { z } from 'zod';
import { MlfolioError } from '../../../portfolio/errors.ts';
import { isClassification, type Task, type TrainingSet } from '../task.ts';
import { fitLinear, type LinearKind, linearArtifactSchema, linearParamsSchema } from './linear.ts';
import { parseParams } from './params.ts';
import { checkTrainingSet, featureIndex, taskMismatch } from './training-set.ts';

export const classPriorParamsSchema = z.strictObject({
  /**
   * Added to every class count before normalising, so a class unseen in training keeps a small
   * probability (0.5 is Jeffreys' prior; 0 gives the raw frequencies, like scikit-learn's DummyClassifier).
   */
  smoothing: z.number().nonnegative().default(0.5),
});
export const noParamsSchema = z.strictObject({});
export const persistenceParamsSchema = z.strictObject({
  /** The feature whose value is the forecast's mean. */
  feature: z.string().min(1),
});
export const ratingParamsSchema = linearParamsSchema.extend({
  /** The one feature the model uses, e.g. a rating difference between the two sides. */
  feature: z.string().min(1),
  /** Unpenalised by default: one feature needs no shrinkage. */
  l2: z.number().nonnegative().default(0),
});

const noFeatures = z.array(z.string()).length(0);
export const classPriorArtifactSchema = z.strictObject({
  kind: z.literal('class-prior'),
  featureNames: noFeatures,
  probabilities: z.array(z.number().nonnegative()),
});
export const meanArtifactSchema = z.strictObject({
  kind: z.literal('mean'),
  featureNames: noFeatures,
  mean: z.number(),
  sd: z.number().nonnegative(),
});
export const medianArtifactSchema = z.strictObject({
  kind: z.literal('median'),
  featureNames: noFeatures,
  median: z.number(),
  sd: z.number().nonnegative(),
});
export const meanRateArtifactSchema = z.strictObject({
  kind: z.literal('mean-rate'),
  featureNames: noFeatures,
  mean: z.number().positive(),
});
export const persistenceArtifactSchema = z.strictObject({
  kind: z.literal('persistence'),
  featureNames: z.array(z.string()).length(1),
  task: z.enum(['regression', 'count']),
  /** Regression: RMS of (outcome − feature) over the training rows; nothing is fitted, so no correction. */
  sd: z.number().nonnegative().optional(),
});
export const ratingArtifactSchema = z.strictObject({
  kind: z.literal('rating'),
  featureNames: z.array(z.string()).length(1),
  model: linearArtifactSchema,
});
export const baselineArtifactSchema = z.discriminatedUnion('kind', [
  classPriorArtifactSchema,
  meanArtifactSchema,
  medianArtifactSchema,
  meanRateArtifactSchema,
  persistenceArtifactSchema,
  ratingArtifactSchema,
]);
export type ClassPriorArtifact = z.output<typeof classPriorArtifactSchema>;
export type MeanArtifact = z.output<typeof meanArtifactSchema>;
export type MedianArtifact = z.output<typeof medianArtifactSchema>;
export type MeanRateArtifact = z.output<typeof meanRateArtifactSchema>;
export type PersistenceArtifact = z.output<typeof persistenceArtifactSchema>;
export type RatingArtifact = z.output<typeof ratingArtifactSchema>;
export type BaselineArtifact = z.output<typeof baselineArtifactSchema>;
export type BaselineKind = BaselineArtifact['kind'];

/** The tasks each baseline can fit. */
export const baselineTasks: Readonly<Record<BaselineKind, readonly Task['kind'][]>> = {
  'class-prior': ['binary', 'multiclass', 'ordinal'],
  mean: ['regression'],
  median: ['regression'],
  'mean-rate': ['count'],
  persistence: ['regression', 'count'],
  rating: ['binary', 'multiclass', 'ordinal', 'regression', 'count'],
};

/** Each baseline's params schema (strict, with defaults), for the project file's model entries. */
export const baselineParamsSchemas = {
  'class-prior': classPriorParamsSchema,
  mean: noParamsSchema,
  median: noParamsSchema,
  'mean-rate': noParamsSchema,
  persistence: persistenceParamsSchema,
  rating: ratingParamsSchema,
} as const satisfies Record<BaselineKind, z.ZodType>;

export function fitClassPrior(
  task: Task,
  data: TrainingSet,
  params: z.input<typeof classPriorParamsSchema> = {},
  _seed = 0,
): ClassPriorArtifact {
  const model = 'class-prior';
  const { smoothing } = parseParams(model, classPriorParamsSchema, params);
  checkTrainingSet(task, data, model);
  if (!isClassification(task)) throw taskMismatch(model, task, baselineTasks[model]);
  const counts = new Array<number>(task.classes.length).fill(smoothing);
  for (const y of data.outcomes) counts[y]!++;
  const total = counts.reduce((a, b) => a + b, 0);
  return { kind: model, featureNames: [], probabilities: counts.map((c) => c / total) };
}

/** The training mean with the training outcomes' sample sd (n − 1). */
export function fitMean(
  task: Task,
  data: TrainingSet,
  params: z.input<typeof noParamsSchema> = {},
  _seed = 0,
): MeanArtifact {
  const model = 'mean';
  parseParams(model, noParamsSchema, params);
  checkTrainingSet(task, data, model);
  if (task.kind !== 'regression') throw taskMismatch(model, task, baselineTasks[model]);
  const mean = meanOf(data.outcomes);
  return { kind: model, featureNames: [], mean, sd: rmsAround(data.outcomes, () => mean, 1) };
}

/** The training median with sd √(Σ(y − median)² / (n − 1)). */
export function fitMedian(
  task: Task,
  data: TrainingSet,
  params: z.input<typeof noParamsSchema> = {},
  _seed = 0,
): MedianArtifact {
  const model = 'median';
  parseParams(model, noParamsSchema, params);
  checkTrainingSet(task, data, model);
  if (task.kind !== 'regression') throw taskMismatch(model, task, baselineTasks[model]);
  const sorted = [...data.outcomes].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { kind: model, featureNames: [], median, sd: rmsAround(data.outcomes, () => median, 1) };
}

export function fitMeanRate(
  task: Task,
  data: TrainingSet,
  params: z.input<typeof noParamsSchema> = {},
  _seed = 0,
): MeanRateArtifact {
  const model = 'mean-rate';
  parseParams(model, noParamsSchema, params);
  checkTrainingSet(task, data, model);
  if (task.kind !== 'count') throw taskMismatch(model, task, baselineTasks[model]);
  const mean = meanOf(data.outcomes);
  if (mean === 0) {
    throw new MlfolioError({
      code: 'E_TRAINING_SET_INVALID',
      message: `${model}: every training outcome is 0, so a Poisson forecast would be a point mass at 0.`,
      hint: 'Check the target column, or train on rows where the count varies.',
    });
  }
  return { kind: model, featureNames: [], mean };
}

/**
 * Persistence: the declared feature's value is the forecast's mean (Gaussian for regression,
 * with the RMS training error as sd; Poisson for counts, floored at `minimumPoissonMean`).
 */
export function fitPersistence(
  task: Task,
  data: TrainingSet,
  params: z.input<typeof persistenceParamsSchema>,
  _seed = 0,
): PersistenceArtifact {
  const model = 'persistence';
  const { feature } = parseParams(model, persistenceParamsSchema, params);
  checkTrainingSet(task, data, model);
  if (task.kind !== 'regression' && task.kind !== 'count')
    throw taskMismatch(model, task, baselineTasks[model]);
  const j = featureIndex(data, feature, model);
  if (task.kind === 'count') return { kind: model, featureNames: [feature], task: 'count' };
  const sd = rmsAround(data.outcomes, (i) => data.rows[i]![j]!, 0);
  return { kind: model, featureNames: [feature], task: 'regression', sd };
}

const ratingModelOf: Record<Task['kind'], LinearKind> = {
  binary: 'logistic-regression',
  multiclass: 'multinomial-logit',
  ordinal: 'ordinal-logit',
  regression: 'ridge',
  count: 'poisson-glm',
};

/**
 * A single-feature model of the task: logistic (binary), multinomial logit (multiclass), ordinal
 * logit (ordinal), least squares (regression) or Poisson regression (count) on one declared
 * feature — a rating difference for pairwise events, say — fitted by maximum likelihood.
 */
export function fitRating(
  task: Task,
  data: TrainingSet,
  params: z.input<typeof ratingParamsSchema>,
  seed = 0,
): RatingArtifact {
  const model = 'rating';
  const { feature, ...linear } = parseParams(model, ratingParamsSchema, params);
  checkTrainingSet(task, data, model);
  const j = featureIndex(data, feature, model);
  const column: TrainingSet = {
    featureNames: [feature],
    rows: data.rows.map((row) => [row[j]!]),
    outcomes: data.outcomes,
  };
  return {
    kind: model,
    featureNames: [feature],
    model: fitLinear(ratingModelOf[task.kind], task, column, linear, seed),
  };
}

/** Fits any baseline: the single entry the pipeline needs. `params` are validated here. */
export function fitBaseline(
  kind: BaselineKind,
  task: Task,
  data: TrainingSet,
  params: unknown = {},
  seed = 0,
): BaselineArtifact {
  switch (kind) {
    case 'class-prior':
      return fitClassPrior(task, data, params as z.input<typeof classPriorParamsSchema>, seed);
    case 'mean':
      return fitMean(task, data, params as Record<string, never>, seed);
    case 'median':
      return fitMedian(task, data, params as Record<string, never>, seed);
    case 'mean-rate':
      return fitMeanRate(task, data, params as Record<string, never>, seed);
    case 'persistence':
      return fitPersistence(task, data, params as z.input<typeof persistenceParamsSchema>, seed);
    case 'rating':
      return fitRating(task, data, params as z.input<typeof ratingParamsSchema>, seed);
  }
}

function meanOf(values: readonly number[]): number {
  return values.reduce((s, v) => s + v, 0) / values.length;
}

/** √(Σᵢ (yᵢ − centreᵢ)² / (n − lostDegrees)); 0 with a single row. */
function rmsAround(values: readonly number[], centre: (i: number) => number, lostDegrees: number): number {
  const n = values.length;
  if (n - lostDegrees <= 0) return 0;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (values[i]! - centre(i)) ** 2;
  return Math.sqrt(sum / (n - lostDegrees));
}
