/**
 * Metrics by task: a catalogue (which tasks each metric applies to, which way is better, whether it
 * is a proper score, whether a project may rank models by it), per-row values so the shared
 * bootstrap gives 95% intervals and paired differences, and skill scores against a reference model.
 *
 * Every forecast is a full predictive distribution (see `task.ts`), so every task has a proper
 * score: log loss, Brier and RPS for probabilities, CRPS and pinball loss for Gaussian and Poisson
 * forecasts, Poisson deviance for counts. Point metrics (MAE, RMSE) score the forecast's mean.
 */
import { MlfolioError } from '../../portfolio/errors.ts';
import { didYouMean } from '../../portfolio/suggest.ts';
import { type BootstrapOptions, bootstrapMean, bootstrapStatistic } from '../evaluation/bootstrap.ts';
import type { Estimate } from '../runs/run-record.ts';
import { delongAuc, resampledAuc } from './auc.ts';
import { normalCdf, normalPdf, normalQuantile, poissonQuantile } from './distributions.ts';
import type { Forecast, Task, TaskKind } from './task.ts';

export const taskMetricIds = [
  'log_loss',
  'brier',
  'rps',
  'accuracy',
  'auc',
  'mae',
  'rmse',
  'crps',
  'pinball',
  'coverage_80',
  'coverage_95',
  'poisson_deviance',
] as const;
export type TaskMetricId = (typeof taskMetricIds)[number];

export interface TaskMetric {
  id: TaskMetricId;
  label: string;
  description: string;
  tasks: readonly TaskKind[];
  /** Which way is better; `nominal` means closest to `nominal` (interval coverage). */
  better: 'lower' | 'higher' | 'nominal';
  nominal?: number;
  /** The best value a forecast can reach: skill scores measure the share of the gap from the reference to it. */
  perfect: number;
  /** A proper scoring rule: its expectation is best when the forecast is the true distribution. */
  proper: boolean;
  /** A project may rank models by it (proper scores, and the consistent point scores MAE and RMSE). */
  primaryEligible: boolean;
  /**
   * How per-row values make the metric: their mean; the square root of their mean (RMSE, whose
   * per-row values are squared errors); or ranks over all rows (AUC, which has no per-row values).
   */
  aggregate: 'mean' | 'root-mean' | 'rank';
}

/** Probabilities are clipped to [ε, 1] before taking logs so one confident miss cannot make log loss infinite. */
export const logLossEpsilon = 1e-15;

/** The predictive quantiles the pinball loss averages over. */
export const pinballLevels = [0.1, 0.5, 0.9] as const;

const classification: readonly TaskKind[] = ['binary', 'multiclass', 'ordinal'];
const numeric: readonly TaskKind[] = ['regression', 'count'];

export const taskMetrics: Readonly<Record<TaskMetricId, TaskMetric>> = {
  log_loss: {
    id: 'log_loss',
    label: 'Log loss',
    description: 'Mean negative natural log of the probability given to the outcome.',
    tasks: classification,
    better: 'lower',
    perfect: 0,
    proper: true,
    primaryEligible: true,
    aggregate: 'mean',
  },
  brier: {
    id: 'brier',
    label: 'Brier',
    description:
      'Squared error of the probabilities: (p − y)² of the positive class for binary tasks (0 to 1), summed over classes otherwise (0 to 2).',
    tasks: classification,
    better: 'lower',
    perfect: 0,
    proper: true,
    primaryEligible: true,
    aggregate: 'mean',
  },
  rps: {
    id: 'rps',
    label: 'RPS',
    description:
      'Ranked probability score: squared distance between cumulative forecast and cumulative outcome over the ordered classes, divided by classes − 1.',
    tasks: ['ordinal'],
    better: 'lower',
    perfect: 0,
    proper: true,
    primaryEligible: true,
    aggregate: 'mean',
  },
  accuracy: {
    id: 'accuracy',
    label: 'Accuracy',
    description: 'Share of rows whose most probable class (the first on ties) happened.',
    tasks: classification,
    better: 'higher',
    perfect: 1,
    proper: false,
    primaryEligible: false,
    aggregate: 'mean',
  },
  auc: {
    id: 'auc',
    label: 'AUC',
    description:
      'Area under the ROC curve of the positive-class probability (rank-based, ties count one half), with a DeLong interval.',
    tasks: ['binary'],
    better: 'higher',
    perfect: 1,
    proper: false,
    primaryEligible: false,
    aggregate: 'rank',
  },
  mae: {
    id: 'mae',
    label: 'MAE',
    description: 'Mean absolute error of the predictive mean.',
    tasks: numeric,
    better: 'lower',
    perfect: 0,
    proper: false,
    primaryEligible: true,
    aggregate: 'mean',
  },
  rmse: {
    id: 'rmse',
    label: 'RMSE',
    description: 'Root mean squared error of the predictive mean.',
    tasks: numeric,
    better: 'lower',
    perfect: 0,
    proper: false,
    primaryEligible: true,
    aggregate: 'root-mean',
  },
  crps: {
    id: 'crps',
    label: 'CRPS',
    description:
      'Continuous ranked probability score of the predictive distribution, in the units of the target (closed form for a Gaussian, an exact sum for a Poisson).',
    tasks: numeric,
    better: 'lower',
    perfect: 0,
    proper: true,
    primaryEligible: true,
    aggregate: 'mean',
  },
  pinball: {
    id: 'pinball',
    label: 'Pinball loss',
    description: 'Pinball (quantile) loss of the predictive 10%, 50% and 90% quantiles, averaged.',
    tasks: numeric,
    better: 'lower',
    perfect: 0,
    proper: true,
    primaryEligible: true,
    aggregate: 'mean',
  },
  coverage_80: {
    id: 'coverage_80',
    label: '80% interval coverage',
    description: 'Share of outcomes inside the central 80% predictive interval; 0.8 when calibrated.',
    tasks: numeric,
    better: 'nominal',
    nominal: 0.8,
    perfect: 0.8,
    proper: false,
    primaryEligible: false,
    aggregate: 'mean',
  },
  coverage_95: {
    id: 'coverage_95',
    label: '95% interval coverage',
    description: 'Share of outcomes inside the central 95% predictive interval; 0.95 when calibrated.',
    tasks: numeric,
    better: 'nominal',
    nominal: 0.95,
    perfect: 0.95,
    proper: false,
    primaryEligible: false,
    aggregate: 'mean',
  },
  poisson_deviance: {
    id: 'poisson_deviance',
    label: 'Poisson deviance',
    description: 'Mean Poisson deviance 2·(y·log(y/μ) − (y − μ)) of the predictive mean μ.',
    tasks: ['count'],
    better: 'lower',
    perfect: 0,
    proper: true,
    primaryEligible: true,
    aggregate: 'mean',
  },
};

/** The metrics a task allows, in catalogue order. */
export function metricsForTask(task: Task | TaskKind): TaskMetric[] {
  const kind = typeof task === 'string' ? task : task.kind;
  return taskMetricIds.map((id) => taskMetrics[id]).filter((metric) => metric.tasks.includes(kind));
}

/** The proper score a task's models are ranked by unless the project says otherwise. */
export function defaultPrimaryMetric(task: Task | TaskKind): TaskMetricId {
  const kind = typeof task === 'string' ? task : task.kind;
  const byKind: Record<TaskKind, TaskMetricId> = {
    binary: 'log_loss',
    multiclass: 'log_loss',
    ordinal: 'rps',
    regression: 'crps',
    count: 'poisson_deviance',
  };
  return byKind[kind];
}

/**
 * Checks metric names a project declares for its task and returns them typed. An unknown name, or
 * one the task does not allow, is an `E_METRIC_INVALID` error naming `where` (file and field), the
 * name received and the nearest valid one.
 */
export function checkMetricsForTask(
  task: Task | TaskKind,
  names: readonly string[],
  where: string,
  options: { primary?: boolean } = {},
): TaskMetricId[] {
  const kind = typeof task === 'string' ? task : task.kind;
  const allowed = metricsForTask(kind).filter((metric) => !options.primary || metric.primaryEligible);
  const allowedIds = allowed.map((metric) => metric.id);
  return names.map((name, i) => {
    if ((allowedIds as readonly string[]).includes(name)) return name as TaskMetricId;
    const known = (taskMetricIds as readonly string[]).includes(name);
    const reason = !known
      ? 'is not a metric'
      : options.primary && taskMetrics[name as TaskMetricId].tasks.includes(kind)
        ? `cannot rank models (${taskMetrics[name as TaskMetricId].proper ? 'it is secondary' : 'it is not a proper score'})`
        : `does not apply to a ${kind} task`;
    throw new MlfolioError({
      code: 'E_METRIC_INVALID',
      message: `${where}${names.length > 1 ? `[${i}]` : ''}: "${name}" ${reason}.`,
      hint: `${didYouMean(name, allowedIds)} A ${kind} task allows${options.primary ? ' as its primary metric' : ''}: ${allowedIds.join(', ')}.`,
    });
  });
}

/**
 * The per-row values of a metric whose aggregate is a mean (or root-mean: squared errors), in row
 * order. `forecasts[i]` must be of the task's forecast kind. Throws for AUC, which has none.
 */
export function metricRowValues(
  id: TaskMetricId,
  task: Task,
  forecasts: readonly Forecast[],
  outcomes: readonly number[],
): number[] {
  const metric = checkedMetric(id, task, forecasts, outcomes);
  if (metric.aggregate === 'rank') {
    throw new RangeError(`${metric.label} is computed from ranks over all rows and has no per-row values.`);
  }
  const score = rowScorers[id as Exclude<TaskMetricId, 'auc'>];
  return outcomes.map((y, i) => score(forecasts[i]!, y, task));
}

/** The metric over all rows. */
export function metricValue(
  id: TaskMetricId,
  task: Task,
  forecasts: readonly Forecast[],
  outcomes: readonly number[],
): number {
  return statisticOf(id, task, forecasts, outcomes)(allRows(outcomes.length));
}

/**
 * The metric with its interval: a percentile bootstrap over rows (seeded; the same seed and row
 * count give every model the same resamples), except AUC, whose interval is DeLong's.
 */
export function estimateMetric(
  id: TaskMetricId,
  task: Task,
  forecasts: readonly Forecast[],
  outcomes: readonly number[],
  options: BootstrapOptions,
): Estimate {
  const metric = checkedMetric(id, task, forecasts, outcomes);
  if (metric.aggregate === 'mean')
    return bootstrapMean(metricRowValues(id, task, forecasts, outcomes), options);
  if (metric.aggregate === 'rank') {
    const { value, lower, upper } = delongAuc(positiveScores(forecasts), outcomes, options.level);
    return { value, lower, upper };
  }
  return bootstrapStatistic(outcomes.length, statisticOf(id, task, forecasts, outcomes), options);
}

/** The paired difference `a − b` of two models' metric over the same rows, with a paired bootstrap interval. */
export function metricDifference(
  id: TaskMetricId,
  task: Task,
  a: readonly Forecast[],
  b: readonly Forecast[],
  outcomes: readonly number[],
  options: BootstrapOptions,
): Estimate {
  const ofA = statisticOf(id, task, a, outcomes);
  const ofB = statisticOf(id, task, b, outcomes);
  return bootstrapStatistic(outcomes.length, (rows) => ofA(rows) - ofB(rows), options);
}

/**
 * Skill against a reference: (score − reference) / (perfect − reference), the share of the
 * reference's gap to a perfect forecast that the model closes. For losses whose perfect value is
 * 0 this is 1 − score / reference. 0 is no better than the reference, 1 is perfect, negative is worse.
 * Undefined for coverage, which has no "better" direction beyond its nominal level.
 */
export function skillScoreOf(id: TaskMetricId, score: number, reference: number): number {
  assertHasSkill(id);
  return (score - reference) / (taskMetrics[id].perfect - reference);
}

function assertHasSkill(id: TaskMetricId): void {
  const metric = taskMetrics[id];
  if (metric.better === 'nominal') {
    throw new RangeError(`${metric.label} has a nominal level, not a direction: it has no skill score.`);
  }
}

/** The skill score of `forecasts` against `reference` forecasts on the same rows, with a paired bootstrap interval. */
export function skillScore(
  id: TaskMetricId,
  task: Task,
  forecasts: readonly Forecast[],
  reference: readonly Forecast[],
  outcomes: readonly number[],
  options: BootstrapOptions,
): Estimate {
  const ofModel = statisticOf(id, task, forecasts, outcomes);
  const ofReference = statisticOf(id, task, reference, outcomes);
  assertHasSkill(id);
  return bootstrapStatistic(
    outcomes.length,
    (rows) => skillScoreOf(id, ofModel(rows), ofReference(rows)),
    options,
  );
}

type RowScorer = (forecast: Forecast, outcome: number, task: Task) => number;

const rowScorers: Record<Exclude<TaskMetricId, 'auc'>, RowScorer> = {
  log_loss: (f, y) => -Math.log(Math.max(logLossEpsilon, probabilities(f)[y]!)),
  brier: (f, y, task) => {
    const p = probabilities(f);
    if (task.kind === 'binary') return (p[1]! - y) ** 2;
    return p.reduce((sum, pk, k) => sum + (pk - (k === y ? 1 : 0)) ** 2, 0);
  },
  rps: (f, y) => {
    const p = probabilities(f);
    let cumulativeForecast = 0;
    let sum = 0;
    for (let k = 0; k < p.length - 1; k++) {
      cumulativeForecast += p[k]!;
      sum += (cumulativeForecast - (y <= k ? 1 : 0)) ** 2;
    }
    return sum / (p.length - 1);
  },
  accuracy: (f, y) => (argmax(probabilities(f)) === y ? 1 : 0),
  mae: (f, y) => Math.abs(y - meanOf(f)),
  rmse: (f, y) => (y - meanOf(f)) ** 2,
  crps: (f, y) =>
    f.kind === 'gaussian' ? gaussianCrps(f.mean, f.sd, y) : poissonCrps(numericForecast(f).mean, y),
  pinball: (f, y) => {
    let sum = 0;
    for (const level of pinballLevels) {
      const q = quantileOf(f, level);
      sum += y >= q ? level * (y - q) : (1 - level) * (q - y);
    }
    return sum / pinballLevels.length;
  },
  coverage_80: (f, y) => covered(f, y, 0.8),
  coverage_95: (f, y) => covered(f, y, 0.95),
  poisson_deviance: (f, y) => {
    const mu = numericForecast(f).mean;
    return 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
  },
};

/**
 * CRPS of N(μ, σ²) at y, closed form (Gneiting et al. 2005):
 * σ·[z·(2Φ(z) − 1) + 2φ(z) − 1/√π], z = (y − μ)/σ. A zero σ gives the absolute error.
 */
export function gaussianCrps(mean: number, sd: number, y: number): number {
  if (!(sd > 0)) return Math.abs(y - mean);
  const z = (y - mean) / sd;
  return sd * (z * (2 * normalCdf(z) - 1) + 2 * normalPdf(z) - 1 / Math.sqrt(Math.PI));
}

/** CRPS of Poisson(μ) at y: Σₖ (F(k) − 1{y ≤ k})² over k ≥ 0, summed until the tail is negligible. */
export function poissonCrps(mean: number, y: number): number {
  let cdf = 0;
  let logTerm = -mean;
  const logMean = Math.log(mean);
  let sum = 0;
  for (let k = 0; ; k++) {
    if (k > 0) logTerm += mean > 0 ? logMean - Math.log(k) : Number.NEGATIVE_INFINITY;
    cdf = Math.min(1, cdf + Math.exp(logTerm));
    const gap = cdf - (y <= k ? 1 : 0);
    sum += gap * gap;
    if (k >= y && 1 - cdf < 1e-12 && k > mean) return sum;
  }
}

/** The predictive `level` quantile of a Gaussian or Poisson forecast. */
export function quantileOf(forecast: Forecast, level: number): number {
  if (forecast.kind === 'gaussian') {
    return forecast.sd > 0 ? forecast.mean + forecast.sd * normalQuantile(level) : forecast.mean;
  }
  return poissonQuantile(level, numericForecast(forecast).mean);
}

/** The central predictive interval holding `level` of the probability (for a Poisson, at least that much). */
export function predictiveInterval(forecast: Forecast, level: number): { lower: number; upper: number } {
  const tail = (1 - level) / 2;
  return { lower: quantileOf(forecast, tail), upper: quantileOf(forecast, 1 - tail) };
}

function covered(forecast: Forecast, y: number, level: number): number {
  const { lower, upper } = predictiveInterval(forecast, level);
  return y >= lower && y <= upper ? 1 : 0;
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

function probabilities(forecast: Forecast): readonly number[] {
  if (forecast.kind !== 'probabilities') {
    throw new RangeError(`Expected a probability forecast, but got a ${forecast.kind} one.`);
  }
  return forecast.p;
}

function numericForecast(forecast: Forecast): { mean: number } {
  if (forecast.kind === 'probabilities') {
    throw new RangeError('Expected a Gaussian or Poisson forecast, but got probabilities.');
  }
  return forecast;
}

function meanOf(forecast: Forecast): number {
  return numericForecast(forecast).mean;
}

function positiveScores(forecasts: readonly Forecast[]): number[] {
  return forecasts.map((f) => probabilities(f)[1]!);
}

function allRows(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}

/** The metric computed on a subset of rows (given by index, repeats allowed), for bootstrapping. */
function statisticOf(
  id: TaskMetricId,
  task: Task,
  forecasts: readonly Forecast[],
  outcomes: readonly number[],
): (rows: Uint32Array) => number {
  const metric = checkedMetric(id, task, forecasts, outcomes);
  if (metric.aggregate === 'rank') {
    return resampledAuc(positiveScores(forecasts), outcomes);
  }
  const values = Float64Array.from(metricRowValues(id, task, forecasts, outcomes));
  const root = metric.aggregate === 'root-mean';
  return (rows) => {
    let sum = 0;
    for (let r = 0; r < rows.length; r++) sum += values[rows[r]!]!;
    const mean = sum / rows.length;
    return root ? Math.sqrt(mean) : mean;
  };
}

function checkedMetric(
  id: TaskMetricId,
  task: Task,
  forecasts: readonly Forecast[],
  outcomes: readonly number[],
): TaskMetric {
  const metric = taskMetrics[id];
  if (!metric.tasks.includes(task.kind)) {
    throw new RangeError(
      `${metric.label} does not apply to a ${task.kind} task (it applies to ${metric.tasks.join(', ')}).`,
    );
  }
  if (outcomes.length === 0) throw new RangeError('Expected at least one row to score, but got none.');
  if (forecasts.length !== outcomes.length) {
    throw new RangeError(
      `Expected one forecast per outcome, but got ${forecasts.length} forecasts and ${outcomes.length} outcomes.`,
    );
  }
  return metric;
}
