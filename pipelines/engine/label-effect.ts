import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { pairedBootstrapDifference } from '../evaluation/bootstrap.ts';
import { isBetter } from '../evaluation/evaluate-forecasts.ts';
import type { Estimate } from '../runs/run-record.ts';
import { splitByTime } from '../split/time-split.ts';
import { metricRowValues, type TaskMetricId } from '../tasks/metrics.ts';
import { forecastWith } from '../tasks/models/forecast.ts';
import { modelKinds } from '../tasks/models/registry.ts';
import { collectEvents } from './collect-events.ts';
import { eventsSpecOf, featureStoreSpecOf } from './feature-store-spec.ts';
import { joinLabelColumns } from './label-join.ts';
import { buildEngineRows, defaultMetrics, type EngineRows } from './run-engine.ts';

/** What one labelled column was worth to one model on the test period. */
export interface LabelEffect {
  task: string;
  column: string;
  model: string;
  metric: TaskMetricId;
  /** Test rows, and the seasons they span. */
  rows: number;
  testSeasons: string[];
  /** The primary metric with the labels, and with every row given the join's default instead. */
  withLabels: number;
  withoutLabels: number;
  /** with − without, per-row mean, 95% paired-bootstrap interval over test rows. */
  difference: Estimate;
  /** Whether the labels made the metric better (the interval excluding zero on the better side). */
  verdict: 'better' | 'worse' | 'no clear difference';
  withoutMeans: string;
}

/**
 * Measures each label join of the events table: the features are built twice, with the labelled
 * column and with every row given the join's default (what the project would be without the
 * labels), and each model the join names (`effectOn`, default the baselines) is fitted on the
 * training period and scored on the test period; the difference of the primary metric gets a
 * paired bootstrap interval over test rows.
 */
export async function measureLabelEffects(
  workspace: Workspace,
  project: LoadedProject,
  options: { task?: string } = {},
): Promise<LabelEffect[]> {
  const spec = project.file;
  const tasks = eventsSpecOf(spec).labels.map((join) => join.task);
  if (!tasks.some((task) => !options.task || task === options.task)) return [];
  const { kept, rows, joins } = await collectEvents(workspace, project);
  const measured = joins.filter((j) => !options.task || j.join.task === options.task);
  const storeSpec = featureStoreSpecOf(spec);
  const withRows = await buildEngineRows(project, storeSpec, rows);
  const primary = (spec.primaryMetric ?? defaultMetrics(withRows.task)[0]!) as TaskMetricId;
  const out: LabelEffect[] = [];
  for (const target of measured) {
    const without = joins.map((j) => (j === target ? { ...j, labels: {} } : j));
    const withoutRows = await buildEngineRows(project, storeSpec, joinLabelColumns(kept, without).rows);
    const split = splitByTime(
      project.slug,
      withRows.times.map((time, i) => ({ time, season: withRows.seasons[i]! })),
      spec.split,
      project.specFile,
    );
    const models = spec.models.filter((m) =>
      target.join.effectOn ? target.join.effectOn.includes(m.id) : modelKinds[m.kind]!.baseline,
    );
    for (const model of models) {
      const score = async (rows: EngineRows) => {
        const featureNames = model.features ?? spec.use ?? rows.featureNames;
        const columns = featureNames.map((f) => rows.featureNames.indexOf(f));
        const pick = (i: number) => columns.map((c) => rows.x[i]![c]!);
        const artifact = await modelKinds[model.kind]!.fit(
          rows.task,
          {
            featureNames,
            rows: split.train.map(pick),
            outcomes: split.train.map((i) => rows.outcomes[i]!),
          },
          model.params,
          spec.seed,
        );
        const forecasts = split.test.map((i) => forecastWith(artifact, pick(i)));
        return metricRowValues(
          primary,
          rows.task,
          forecasts,
          split.test.map((i) => rows.outcomes[i]!),
        );
      };
      const a = await score(withRows);
      const b = await score(withoutRows);
      const difference = pairedBootstrapDifference(a, b, { seed: spec.seed, resamples: spec.resamples });
      const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
      const excludesZero = (difference.lower ?? 0) > 0 || (difference.upper ?? 0) < 0;
      out.push({
        task: target.join.task,
        column: target.join.column,
        model: model.id,
        metric: primary,
        rows: split.test.length,
        testSeasons: split.testPeriod.seasons,
        withLabels: mean(a),
        withoutLabels: mean(b),
        difference,
        verdict: !excludesZero
          ? 'no clear difference'
          : isBetter(primary, mean(a), mean(b))
            ? 'better'
            : 'worse',
        withoutMeans: `every row's ${target.join.column} is "${target.join.default}"`,
      });
    }
  }
  return out;
}
