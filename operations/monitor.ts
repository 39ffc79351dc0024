import { join } from 'node:path';
import { bootstrapMean } from '../pipelines/evaluation/bootstrap.ts';
import { metricInfo, rowScores } from '../pipelines/evaluation/metrics.ts';
import type { FeatureRow } from '../pipelines/features/match-features.ts';
import { predictProbabilities } from '../pipelines/models/artifact.ts';
import type { Estimate } from '../pipelines/runs/run-record.ts';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import type { MetricName, Project } from '../portfolio/project-spec.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { resolveDeployedModel } from './deployed-model.ts';
import { featureDrift } from './drift.ts';
import { currentFeatureRows } from './feature-rows.ts';
import { independentBootstrapDifference } from './independent-bootstrap.ts';
import type { MonitoringRecord } from './monitoring-record.ts';
import { operationsPaths, recordId } from './operations-paths.ts';

export interface MonitorOptions {
  /** Replay the data as it stood on this date (YYYY-MM-DD). */
  dataUntil?: string;
  now?: () => Date;
}

/**
 * Checks the deployed model against the matches played since its data ended: feature drift
 * against its training data, and its proper scores on the newly resolved outcomes against the
 * scores recorded when it was evaluated. Writes and returns the monitoring record.
 */
export async function monitorProject(
  workspace: Workspace,
  project: Project,
  options: MonitorOptions = {},
): Promise<{ record: MonitoringRecord; file: string }> {
  const now = options.now ?? (() => new Date());
  const deployed = await resolveDeployedModel(workspace, project.slug);
  const { run, model, artifact } = deployed;
  const rows = await currentFeatureRows(workspace, project, options.dataUntil);
  const within = (period: { seasons: string[]; from: string; to: string }) => (row: FeatureRow) =>
    period.seasons.includes(row.season) && row.date >= period.from && row.date <= period.to;
  const referenceRows = rows.filter(within(run.split.train));
  const evaluationRows = rows.filter(within(run.split.test));
  const currentRows = rows.filter((row) => row.date > run.split.test.to);
  const checkedAt = now();
  const id = recordId(checkedAt);
  const base = {
    schemaVersion: 1 as const,
    id,
    project: project.slug,
    checkedAt: checkedAt.toISOString(),
    ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
    deployed: {
      ...deployed.ref,
      label: model.label,
      promotedBy: deployed.deployment?.by ?? 'latest-run-best',
    },
    reference: period(referenceRows),
  };

  let record: MonitoringRecord;
  if (currentRows.length === 0) {
    record = {
      ...base,
      status: 'no-new-data',
      findings: [`No match with a result after ${run.split.test.to}, where the deployed model's data ends.`],
    };
  } else {
    const features = run.task.features;
    const values = (subset: readonly FeatureRow[], name: string) =>
      subset.map((row) => row.features[name as keyof FeatureRow['features']]);
    const drift = features.map((name) =>
      featureDrift(name, values(referenceRows, name), values(currentRows, name)),
    );

    const seed = run.seed;
    const metrics = run.task.metrics as MetricName[];
    const primary = run.task.primaryMetric as MetricName;
    const scores = (subset: readonly FeatureRow[], metric: MetricName) =>
      rowScores(
        metric,
        subset.map((row) => predictProbabilities(artifact, row.features)),
        subset.map((row) => row.outcome),
      );
    const current: Record<string, Estimate> = {};
    const change: NonNullable<MonitoringRecord['performance']>['change'] = {};
    for (const metric of metrics) {
      const now = scores(currentRows, metric);
      current[metric] = bootstrapMean(now, { seed });
      const difference = independentBootstrapDifference(now, scores(evaluationRows, metric), { seed });
      const higher = metricInfo[metric].higherIsBetter;
      const excludesZero = difference.lower! > 0 || difference.upper! < 0;
      const improved = higher ? difference.value > 0 : difference.value < 0;
      change[metric] = {
        difference,
        verdict: excludesZero ? (improved ? 'better' : 'worse') : 'indistinguishable',
      };
    }
    const windows = monthlyWindows(currentRows).map(({ label, rows: subset }) => {
      const psi = features.map(
        (name) => featureDrift(name, values(referenceRows, name), values(subset, name)).psi,
      );
      return {
        month: label,
        rows: subset.length,
        value: bootstrapMean(scores(subset, primary), { seed }),
        meanPsi: psi.reduce((sum, v) => sum + v, 0) / psi.length,
      };
    });

    const findings: string[] = [];
    const label = (metric: string) => metricInfo[metric as MetricName]?.label ?? metric;
    const fmt = (v: number) => v.toFixed(4);
    const primaryChange = change[primary]!;
    findings.push(
      `${label(primary)} on ${currentRows.length} new matches: ${fmt(current[primary]!.value)} (95% CI ${fmt(current[primary]!.lower!)}–${fmt(current[primary]!.upper!)}) against ${fmt(model.metrics[primary]!.value)} at evaluation; the change is ${primaryChange.verdict}.`,
    );
    const major = drift.filter((d) => d.level === 'major');
    const moderate = drift.filter((d) => d.level === 'moderate');
    if (major.length)
      findings.push(
        `Major drift (PSI ≥ 0.25): ${major.map((d) => `${d.feature} ${d.psi.toFixed(2)}`).join(', ')}.`,
      );
    if (moderate.length)
      findings.push(
        `Moderate drift (PSI 0.1–0.25): ${moderate.map((d) => `${d.feature} ${d.psi.toFixed(2)}`).join(', ')}.`,
      );
    if (!major.length && !moderate.length) findings.push('No feature drifted (every PSI below 0.1).');
    const otherWorse = metrics.filter((m) => m !== primary && change[m]!.verdict === 'worse');
    if (otherWorse.length) findings.push(`Also worse: ${otherWorse.map(label).join(', ')}.`);
    const status: MonitoringRecord['status'] =
      primaryChange.verdict === 'worse'
        ? 'degraded'
        : major.length
          ? 'drifting'
          : moderate.length || otherWorse.length
            ? 'watch'
            : 'healthy';

    record = {
      ...base,
      status,
      findings,
      current: period(currentRows),
      drift: { statistics: ['psi', 'ks'], features: drift },
      performance: {
        primaryMetric: primary,
        higherIsBetter: metricInfo[primary].higherIsBetter,
        evaluation: { period: run.split.test, metrics: model.metrics },
        current,
        change,
        windows,
      },
    };
  }
  const file = join(operationsPaths(workspace, project.slug).monitoringDir, `${id}.json`);
  await writeJsonAtomic(file, record);
  return { record, file };
}

function period(rows: readonly FeatureRow[]) {
  return {
    seasons: [...new Set(rows.map((row) => row.season))].sort(),
    from: rows[0]?.date ?? '',
    to: rows.at(-1)?.date ?? '',
    rows: rows.length,
  };
}

/** Fewest matches in one window of the chart over time; smaller months join the next one. */
export const minimumWindowRows = 50;

/** Calendar months of `rows` (in date order), each with at least `minimumWindowRows` matches. */
function monthlyWindows(rows: readonly FeatureRow[]): { label: string; rows: FeatureRow[] }[] {
  const windows: { label: string; rows: FeatureRow[] }[] = [];
  let pending: FeatureRow[] = [];
  for (const month of [...new Set(rows.map((row) => row.date.slice(0, 7)))].sort()) {
    pending = [...pending, ...rows.filter((row) => row.date.startsWith(month))];
    if (pending.length >= minimumWindowRows) {
      windows.push({ label: month, rows: pending });
      pending = [];
    }
  }
  if (pending.length) {
    const last = windows.pop();
    windows.push({
      label: last?.label ?? pending.at(-1)!.date.slice(0, 7),
      rows: [...(last?.rows ?? []), ...pending],
    });
  }
  return windows;
}
