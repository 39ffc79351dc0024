import { join } from 'node:path';
import { eventsSpecOf } from '../pipelines/engine/feature-store-spec.ts';
import type { EngineRows } from '../pipelines/engine/run-engine.ts';
import { excludesZero } from '../pipelines/evaluation/bootstrap.ts';
import type { Estimate } from '../pipelines/runs/run-record.ts';
import { estimateMetric, metricValue, type TaskMetricId, taskMetrics } from '../pipelines/tasks/metrics.ts';
import type { Forecast, Task } from '../pipelines/tasks/task.ts';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { resolveDeployedTaskModel } from './deployed-task-model.ts';
import { featureDrift } from './drift.ts';
import { independentBootstrapStatistic } from './independent-bootstrap.ts';
import { monitorThresholdsOf } from './monitor-thresholds.ts';
import type { MonitoringRecord } from './monitoring-record.ts';
import { operationsPaths, recordId } from './operations-paths.ts';
import { servingStaleness } from './serving-staleness.ts';
import { compareTimes, currentTaskRows, forecastsOf, rowsAfter, rowsIn } from './task-rows.ts';

export interface MonitorTaskOptions {
  /** Use the data as it stood on this date (or season): replay a check made then. */
  dataUntil?: string;
  now?: () => Date;
}

type Performance = NonNullable<MonitoringRecord['performance']>;

/** Fewest events in one monthly window of the chart over time; smaller months join the next one. */
export const minimumWindowEvents = 50;

/**
 * `mlfolio monitor` for a version 2 project, any task: the deployed task model (the last promotion,
 * else the latest run's best candidate) checked on the events that resolved after its run's data
 * ended. Records drift of every feature the model reads (PSI and KS against its training rows from
 * the feature store), its metrics on the new events with 95% intervals against the same metrics on
 * its own test period (an independent two-sample bootstrap of the difference), the share of new
 * events its server would serve with a stale feature or an unknown entity, and a verdict with
 * reasons: `no-new-data`, `healthy`, `watch` (moderate drift, a secondary metric worse, or too many
 * stale features), `drifting` (a major drift) or `degraded` (the primary metric worse, its interval
 * excluding zero). Thresholds come from the project file's `monitoring`, else the defaults.
 */
export async function monitorTaskProject(
  workspace: Workspace,
  project: LoadedProject,
  options: MonitorTaskOptions = {},
): Promise<{ record: MonitoringRecord; file: string }> {
  const now = options.now ?? (() => new Date());
  const deployed = await resolveDeployedTaskModel(workspace, project.slug);
  const { run, model, artifact } = deployed;
  const current = await currentTaskRows(workspace, project, options.dataUntil);
  const { rows } = current;
  const task = rows.task;
  const thresholds = monitorThresholdsOf(project.file);
  const referenceRows = rowsIn(rows, run.split.train);
  const evaluationRows = rowsIn(rows, run.split.test);
  // The run's last usable event: later ones resolved (got a target) after its data ended.
  const dataEnd = run.inputs.dataset.lastDate || run.split.test.to;
  const newRows = rowsAfter(rows, dataEnd);
  const checkedAt = now();
  const id = recordId(checkedAt);
  const base = {
    schemaVersion: 2 as const,
    id,
    project: project.slug,
    checkedAt: checkedAt.toISOString(),
    ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
    deployed: {
      ...deployed.ref,
      label: model.label,
      promotedBy: deployed.deployment?.by ?? 'latest-run-best',
    },
    task: { kind: run.task.kind, target: run.task.target },
    thresholds,
    reference: period(rows, referenceRows),
  };

  let record: MonitoringRecord;
  if (newRows.length === 0) {
    record = {
      ...base,
      status: 'no-new-data',
      findings: [
        `No event has resolved after ${dataEnd}, where the deployed model's data ends${options.dataUntil ? ` (data used up to ${options.dataUntil})` : ''}: there is nothing new to check it on.`,
      ],
    };
  } else {
    const where = { slug: project.slug, model: model.id };
    const featureNames = artifact.featureNames;
    const column = (indices: readonly number[], name: string) => {
      const j = rows.featureNames.indexOf(name);
      return indices.map((i) => rows.x[i]![j]!);
    };
    // First, so that a feature the project no longer outputs is named before anything reads it.
    const newForecasts = forecastsOf(artifact, rows, newRows, where);
    const psi = { moderate: thresholds.psiModerate, major: thresholds.psiMajor };
    const drift = featureNames.map((name) =>
      featureDrift(name, column(referenceRows, name), column(newRows, name), psi),
    );

    const seed = run.seed;
    const resamples = project.file.resamples;
    const metrics = run.task.metrics as TaskMetricId[];
    const primary = run.task.primaryMetric as TaskMetricId;
    const newOutcomes = newRows.map((i) => rows.outcomes[i]!);
    const evaluationForecasts = forecastsOf(artifact, rows, evaluationRows, where);
    const evaluationOutcomes = evaluationRows.map((i) => rows.outcomes[i]!);
    const currentScores: Record<string, Estimate> = {};
    const change: Performance['change'] = {};
    for (const metric of metrics) {
      currentScores[metric] = estimateMetric(metric, task, newForecasts, newOutcomes, { seed, resamples });
      const difference = periodDifference(
        metric,
        task,
        { forecasts: newForecasts, outcomes: newOutcomes },
        { forecasts: evaluationForecasts, outcomes: evaluationOutcomes },
        { seed, resamples },
      );
      change[metric] = { difference, verdict: changeVerdict(metric, difference, model.metrics[metric]) };
    }
    const windowUnit = eventsSpecOf(project.file).time.kind === 'date' ? 'month' : 'season';
    const windows = periodWindows(rows, newRows, windowUnit).map(({ label, indices }) => {
      const at = new Set(indices);
      const subset = newRows.flatMap((i, k) => (at.has(i) ? [k] : []));
      const values = featureNames.map(
        (name) => featureDrift(name, column(referenceRows, name), column(indices, name), psi).psi,
      );
      return {
        month: label,
        rows: indices.length,
        value: estimateMetric(
          primary,
          task,
          subset.map((k) => newForecasts[k]!),
          subset.map((k) => newOutcomes[k]!),
          { seed, resamples },
        ),
        meanPsi: values.reduce((sum, v) => sum + v, 0) / values.length,
      };
    });
    const staleness = await servingStaleness(project, deployed, current, newRows);

    const findings: string[] = [];
    const label = (metric: string) => taskMetrics[metric as TaskMetricId]?.label ?? metric;
    const fmt = (metric: string, v: number) =>
      metric.startsWith('coverage') || metric === 'accuracy' ? `${(v * 100).toFixed(1)}%` : v.toFixed(4);
    const primaryNow = currentScores[primary]!;
    const primaryChange = change[primary]!;
    findings.push(
      `${label(primary)} on ${newRows.length} new events: ${fmt(primary, primaryNow.value)} (95% CI ${fmt(primary, primaryNow.lower!)}–${fmt(primary, primaryNow.upper!)}) against ${fmt(primary, model.metrics[primary]!.value)} at evaluation; the change is ${primaryChange.verdict}.`,
    );
    const major = drift.filter((d) => d.level === 'major');
    const moderate = drift.filter((d) => d.level === 'moderate');
    const list = (items: typeof drift) => items.map((d) => `${d.feature} ${d.psi.toFixed(2)}`).join(', ');
    if (major.length) findings.push(`Major drift (PSI ≥ ${psi.major}): ${list(major)}.`);
    if (moderate.length)
      findings.push(`Moderate drift (PSI ${psi.moderate}–${psi.major}): ${list(moderate)}.`);
    if (!major.length && !moderate.length)
      findings.push(`No feature drifted (every PSI below ${psi.moderate}).`);
    const otherWorse = metrics.filter((m) => m !== primary && change[m]!.verdict === 'worse');
    if (otherWorse.length) findings.push(`Also worse: ${otherWorse.map(label).join(', ')}.`);
    const tooStale = staleness.share > thresholds.staleShare;
    findings.push(
      `${(staleness.share * 100).toFixed(1)}% of the new events would be served with a feature past its TTL from run ${run.runId}'s online store${tooStale ? ` (above the ${(thresholds.staleShare * 100).toFixed(0)}% threshold: rerun the project to refresh the store)` : ''}; ${staleness.unknownEntityEvents} with an entity the store has never seen.`,
    );
    const status: MonitoringRecord['status'] =
      primaryChange.verdict === 'worse'
        ? 'degraded'
        : major.length
          ? 'drifting'
          : moderate.length || otherWorse.length || tooStale
            ? 'watch'
            : 'healthy';

    record = {
      ...base,
      status,
      findings,
      current: period(rows, newRows),
      drift: { statistics: ['psi', 'ks'], features: drift },
      staleness,
      performance: {
        primaryMetric: primary,
        higherIsBetter: taskMetrics[primary].better === 'higher',
        evaluation: { period: run.split.test, metrics: model.metrics },
        current: currentScores,
        change,
        windowUnit,
        windows,
      },
    };
  }
  const file = join(operationsPaths(workspace, project.slug).monitoringDir, `${id}.json`);
  await writeJsonAtomic(file, record);
  return { record, file };
}

interface Scored {
  forecasts: readonly Forecast[];
  outcomes: readonly number[];
}

/** `metric(a) − metric(b)` of two periods, each resampled on its own (they share no rows). */
function periodDifference(
  metric: TaskMetricId,
  task: Task,
  a: Scored,
  b: Scored,
  options: { seed: number; resamples: number },
): Estimate {
  const value = (scored: Scored, indices: readonly number[]) =>
    metricValue(
      metric,
      task,
      indices.map((i) => scored.forecasts[i]!),
      indices.map((i) => scored.outcomes[i]!),
    );
  return independentBootstrapStatistic(
    { a: a.outcomes.length, b: b.outcomes.length },
    (ia, ib) => value(a, ia) - value(b, ib),
    options,
  );
}

/**
 * Better, worse or indistinguishable (the interval includes zero). For coverage, better is closer
 * to its nominal level than at evaluation.
 */
function changeVerdict(
  metric: TaskMetricId,
  difference: Estimate,
  atEvaluation: Estimate | undefined,
): 'better' | 'worse' | 'indistinguishable' {
  if (!excludesZero(difference)) return 'indistinguishable';
  const info = taskMetrics[metric];
  if (info.better === 'nominal') {
    const then = atEvaluation?.value ?? info.nominal!;
    const now = then + difference.value;
    return Math.abs(now - info.nominal!) < Math.abs(then - info.nominal!) ? 'better' : 'worse';
  }
  const up = difference.value > 0;
  return up === (info.better === 'higher') ? 'better' : 'worse';
}

function period(rows: EngineRows, indices: readonly number[]) {
  const times = indices.map((i) => rows.times[i]!).sort(compareTimes);
  return {
    seasons: [...new Set(indices.map((i) => rows.seasons[i]!))].sort(compareTimes),
    from: times[0] ?? '',
    to: times.at(-1) ?? '',
    rows: indices.length,
  };
}

/**
 * Windows of the new events for the chart over time: by season for season-timed events; by
 * calendar month for dated ones, a month with fewer than `minimumWindowEvents` joining the next
 * (the last short one joins the previous), labelled by its last month.
 */
function periodWindows(
  rows: EngineRows,
  indices: readonly number[],
  unit: 'month' | 'season',
): { label: string; indices: number[] }[] {
  const keyOf = (i: number) => (unit === 'month' ? rows.times[i]!.slice(0, 7) : rows.seasons[i]!);
  const keys = [...new Set(indices.map(keyOf))].sort(compareTimes);
  const groups = keys.map((key) => ({ label: key, indices: indices.filter((i) => keyOf(i) === key) }));
  if (unit === 'season') return groups;
  const windows: { label: string; indices: number[] }[] = [];
  let pending: number[] = [];
  for (const group of groups) {
    pending = [...pending, ...group.indices];
    if (pending.length >= minimumWindowEvents) {
      windows.push({ label: group.label, indices: pending });
      pending = [];
    }
  }
  if (pending.length) {
    const last = windows.pop();
    windows.push({ label: last?.label ?? keys.at(-1)!, indices: [...(last?.indices ?? []), ...pending] });
  }
  return windows;
}
