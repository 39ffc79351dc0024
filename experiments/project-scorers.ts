import { rowValues } from '../pipelines/impact/decision-impact.ts';
import { metricRowValues, type TaskMetricId, taskMetrics } from '../pipelines/tasks/metrics.ts';
import { type Forecast, forecastKindOf, isClassification, type Task } from '../pipelines/tasks/task.ts';
import type { ProjectFile } from '../portfolio/project-file/schema.ts';
import { decisionValueMetric } from './experiment-spec.ts';
import type { MetricScorer } from './outcome-join.ts';

/**
 * The forecast inside a served prediction, whatever envelope the server wrapped it in: a
 * `Forecast` itself, `{ forecast }`, or `{ probabilities }` keyed by class label or in class order.
 * `undefined` when it holds none of the task's kind.
 */
export function forecastOfPrediction(prediction: unknown, task: Task): Forecast | undefined {
  if (typeof prediction !== 'object' || prediction === null) return undefined;
  const value = prediction as Record<string, unknown>;
  const kind = forecastKindOf(task);
  if (value.kind === kind) return value as unknown as Forecast;
  if (value.forecast !== undefined) return forecastOfPrediction(value.forecast, task);
  const probabilities = value.probabilities;
  if (
    kind === 'probabilities' &&
    isClassification(task) &&
    probabilities &&
    typeof probabilities === 'object'
  ) {
    const p = Array.isArray(probabilities)
      ? probabilities
      : task.classes.map((label) => (probabilities as Record<string, unknown>)[label]);
    if (p.length === task.classes.length && p.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      return { kind: 'probabilities', p: p as number[] };
    }
  }
  return undefined;
}

/** An outcome row's outcome as the task's outcome number (a class index for classification). */
export function outcomeIndex(outcome: string | number, task: Task): number | undefined {
  if (isClassification(task)) {
    const i = task.classes.indexOf(String(outcome));
    return i >= 0 ? i : undefined;
  }
  return typeof outcome === 'number' ? outcome : undefined;
}

/**
 * Per-unit scorers for a project's experiments: each per-row metric the task allows (by the
 * project's metric id, e.g. `log_loss`), scored exactly as the run's evaluation scores a row, and
 * `decision-value`, the impact rule's value for the unit's served forecast.
 */
export function projectScorers(file: ProjectFile, task: Task): Record<string, MetricScorer> {
  const scorers: Record<string, MetricScorer> = {};
  const score = (row: (forecast: Forecast, outcome: number) => number | undefined): MetricScorer => {
    return (prediction, outcome) => {
      const forecast = forecastOfPrediction(prediction, task);
      const y = outcomeIndex(outcome, task);
      return forecast === undefined || y === undefined ? undefined : row(forecast, y);
    };
  };
  for (const [id, metric] of Object.entries(taskMetrics)) {
    if (metric.aggregate === 'rank' || !metric.tasks.includes(task.kind)) continue;
    scorers[id] = score((forecast, y) => metricRowValues(id as TaskMetricId, task, [forecast], [y])[0]);
  }
  if (file.impact.rule.rule !== 'top-k') {
    const rule = file.impact.rule;
    scorers[decisionValueMetric] = score((forecast, y) => rowValues(rule, [forecast], [y], [''])[0]);
  }
  return scorers;
}

/**
 * A model's expected value of `metric` under its own forecast (the `expected:<model>` CUPED
 * covariate): Σₖ pₖ · metric(forecast, k). It needs no outcome, so it is fixed before assignment.
 */
export function expectedScore(metric: TaskMetricId, task: Task, forecast: Forecast): number {
  if (forecast.kind !== 'probabilities') {
    throw new RangeError(
      `An expected score needs class probabilities; received a ${forecast.kind} forecast.`,
    );
  }
  return forecast.p.reduce((sum, p, k) => sum + p * metricRowValues(metric, task, [forecast], [k])[0]!, 0);
}
