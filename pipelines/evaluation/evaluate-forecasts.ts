import type { Estimate } from '../runs/run-record.ts';
import {
  estimateMetric,
  metricDifference,
  predictiveInterval,
  type TaskMetricId,
  taskMetrics,
} from '../tasks/metrics.ts';
import { type Forecast, isClassification, type Task } from '../tasks/task.ts';
import { excludesZero } from './bootstrap.ts';
import { type CalibrationBin, calibrationBins, calibrationErrorEstimate } from './calibration.ts';
import { confusionMatrix } from './confusion.ts';

export interface ForecastEvaluationInput {
  task: Task;
  models: readonly { id: string; baseline: boolean }[];
  forecasts: Readonly<Record<string, readonly Forecast[]>>;
  outcomes: readonly number[];
  metrics: readonly TaskMetricId[];
  primary: TaskMetricId;
  /** Per-row labels to slice the test metrics by (league, season, …). */
  sliceBy: Readonly<Record<string, readonly string[]>>;
  seed: number;
  resamples: number;
}

export interface ForecastEvaluation {
  metrics: Record<string, Record<string, Estimate>>;
  best: string;
  bestBaseline: string;
  comparisons: {
    model: string;
    baseline: string;
    metric: string;
    difference: Estimate;
    distinguishable: boolean;
  }[];
  slices: {
    dimension: string;
    value: string;
    rows: number;
    metrics: Record<string, Record<string, Estimate>>;
  }[];
  /** Classification: reliability bins and calibration error per model, confusion matrices. */
  calibrationByModel?: Record<string, CalibrationBin[]>;
  calibrationError?: Record<string, Estimate>;
  confusion?: Record<string, number[][]>;
  /** Regression and count: the 80% predictive interval and mean per row, for predicted-vs-actual charts. */
  predictedVsActual?: Record<string, { predicted: number; lower: number; upper: number; actual: number }[]>;
}

/**
 * Scores every model's forecasts on the test rows with the task's metrics (95% intervals from a
 * seeded row bootstrap shared by every model, so differences are paired), picks the best model and
 * the best baseline by the primary metric, compares every model with that baseline, slices the
 * metrics, and adds the task's diagnostics: calibration and confusion for classes, predicted against
 * actual with predictive intervals for numbers.
 */
export function evaluateForecasts(input: ForecastEvaluationInput): ForecastEvaluation {
  const { task, outcomes, seed, resamples } = input;
  const options = { seed, resamples };
  const metrics: ForecastEvaluation['metrics'] = {};
  for (const model of input.models) {
    metrics[model.id] = Object.fromEntries(
      input.metrics.map((id) => [
        id,
        estimateMetric(id, task, input.forecasts[model.id]!, outcomes, options),
      ]),
    );
  }
  const better = (a: number, b: number) => isBetter(input.primary, a, b);
  const pick = (ids: readonly string[]) =>
    ids.reduce((best, id) =>
      better(metrics[id]![input.primary]!.value, metrics[best]![input.primary]!.value) ? id : best,
    );
  const best = pick(input.models.map((m) => m.id));
  const baselines = input.models.filter((m) => m.baseline).map((m) => m.id);
  const bestBaseline = pick(baselines.length ? baselines : input.models.map((m) => m.id));

  const comparisons: ForecastEvaluation['comparisons'] = [];
  for (const model of input.models) {
    if (model.id === bestBaseline) continue;
    for (const metric of input.metrics) {
      const difference = metricDifference(
        metric,
        task,
        input.forecasts[model.id]!,
        input.forecasts[bestBaseline]!,
        outcomes,
        options,
      );
      comparisons.push({
        model: model.id,
        baseline: bestBaseline,
        metric,
        difference,
        distinguishable: excludesZero(difference),
      });
    }
  }

  const slices: ForecastEvaluation['slices'] = [];
  for (const [dimension, labels] of Object.entries(input.sliceBy)) {
    for (const value of [...new Set(labels)].sort()) {
      const members = labels.flatMap((label, i) => (label === value ? [i] : []));
      // A slice too small to say anything is left out rather than shown with a meaningless interval.
      if (members.length < 20) continue;
      const sliceOutcomes = members.map((i) => outcomes[i]!);
      slices.push({
        dimension,
        value,
        rows: members.length,
        metrics: Object.fromEntries(
          input.models.map((model) => {
            const forecasts = members.map((i) => input.forecasts[model.id]![i]!);
            return [
              model.id,
              Object.fromEntries(
                input.metrics
                  .filter((id) => taskMetrics[id].aggregate !== 'rank')
                  .map((id) => [id, estimateMetric(id, task, forecasts, sliceOutcomes, options)]),
              ),
            ];
          }),
        ),
      });
    }
  }

  const result: ForecastEvaluation = { metrics, best, bestBaseline, comparisons, slices };
  if (isClassification(task)) {
    const probabilities = (id: string) =>
      input.forecasts[id]!.map((f) => (f.kind === 'probabilities' ? f.p : []));
    result.calibrationByModel = {};
    result.calibrationError = {};
    result.confusion = {};
    for (const model of input.models) {
      const p = probabilities(model.id);
      result.calibrationByModel[model.id] = calibrationBins(p, outcomes);
      result.calibrationError[model.id] = calibrationErrorEstimate(p, outcomes, options);
      result.confusion[model.id] = confusionMatrix(p, outcomes, task.classes.length);
    }
  } else {
    result.predictedVsActual = {};
    for (const model of input.models) {
      result.predictedVsActual[model.id] = input.forecasts[model.id]!.map((f, i) => {
        const interval = predictiveInterval(f, 0.8);
        return {
          predicted: f.kind === 'probabilities' ? Number.NaN : f.mean,
          lower: interval.lower,
          upper: interval.upper,
          actual: outcomes[i]!,
        };
      });
    }
  }
  return result;
}

/** Whether `a` is a better value of `metric` than `b` (coverage: closer to its nominal level). */
export function isBetter(metric: TaskMetricId, a: number, b: number): boolean {
  const info = taskMetrics[metric];
  if (info.better === 'nominal') return Math.abs(a - info.nominal!) < Math.abs(b - info.nominal!);
  return info.better === 'higher' ? a > b : a < b;
}
