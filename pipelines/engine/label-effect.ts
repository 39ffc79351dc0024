import { MlfolioError } from '../../portfolio/errors.ts';
import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import type { ModelDeclaration } from '../../portfolio/project-file/schema.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { excludesZero, pairedBootstrapDifference } from '../evaluation/bootstrap.ts';
import { isBetter } from '../evaluation/evaluate-forecasts.ts';
import type { Estimate } from '../runs/run-record.ts';
import { rollingOriginFolds, splitByTime } from '../split/time-split.ts';
import { metricRowValues, type TaskMetricId } from '../tasks/metrics.ts';
import { forecastWith } from '../tasks/models/forecast.ts';
import { modelKinds } from '../tasks/models/registry.ts';
import { collectEvents } from './collect-events.ts';
import { eventsSpecOf, featureStoreSpecOf } from './feature-store-spec.ts';
import { joinLabelColumns } from './label-join.ts';
import { buildEngineRows, defaultMetrics, type EngineRows } from './run-engine.ts';

export type LabelEffectVerdict = 'better' | 'worse' | 'no clear difference';

/**
 * The effect over more held-out events than the test period: the test period's rows and the
 * held-out season of each rolling-origin fold before it (each fold's models fitted on the seasons
 * before its season, as the backtest does), paired by event.
 */
export interface PooledLabelEffect {
  /** Held-out periods, each with its own fit: the folds, then the test period. */
  periods: number;
  /** First and last held-out season, and how many there are. */
  firstSeason: string;
  lastSeason: string;
  seasons: number;
  rows: number;
  withLabels: number;
  withoutLabels: number;
  /** with − without, per-event mean, 95% paired-bootstrap interval over the pooled events. */
  difference: Estimate;
  verdict: LabelEffectVerdict;
}

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
  verdict: LabelEffectVerdict;
  withoutMeans: string;
  /** The same comparison pooled with rolling-origin folds before the test period (the join's `effectFolds`). */
  pooled?: PooledLabelEffect;
}

interface HeldOutPeriod {
  train: number[];
  test: number[];
}

/**
 * Measures each label join of the events table: the features are built twice, with the labelled
 * column and with every row given the join's default (what the project would be without the
 * labels), and each model the join names (`effectOn`, default the baselines) is fitted on the
 * training period and scored on the test period; the difference of the primary metric gets a
 * paired bootstrap interval over test rows. A join with `effectFolds` is measured a second time
 * over the test period and that many rolling-origin folds before it (`all`: every season with the
 * backtest's `minTrainSeasons` before it), every fold fitted on its own past: more held-out
 * events, the same pairing by event.
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
  const timed = withRows.times.map((time, i) => ({ time, season: withRows.seasons[i]! }));
  const split = splitByTime(project.slug, timed, spec.split, project.specFile);
  const verdictOf = (a: number[], b: number[], difference: Estimate): LabelEffectVerdict => {
    if (!excludesZero(difference)) return 'no clear difference';
    return isBetter(primary, mean(a), mean(b)) ? 'better' : 'worse';
  };
  const out: LabelEffect[] = [];
  for (const target of measured) {
    const without = joins.map((j) => (j === target ? { ...j, labels: {} } : j));
    const withoutRows = await buildEngineRows(project, storeSpec, joinLabelColumns(kept, without).rows);
    checkSameEvents(project.specFile, target.join.column, withRows, withoutRows);
    const folds = target.join.effectFolds === undefined ? [] : foldsBefore(target.join.effectFolds);
    if (target.join.effectFolds !== undefined && folds.length === 0) {
      throw new MlfolioError({
        code: 'E_LABEL_EFFECT_NO_FOLDS',
        message: `${project.specFile}: the label join of task "${target.join.task}" (column "${target.join.column}") asks for effectFolds: ${target.join.effectFolds}, but no season before the test period (${split.testPeriod.seasons.join(', ')}) has backtest.minTrainSeasons (${spec.backtest.minTrainSeasons}) seasons before it to train on, so there is no earlier fold to pool.`,
        hint: 'Lower backtest.minTrainSeasons, collect earlier seasons, or remove effectFolds to measure the test period alone.',
      });
    }
    const models = spec.models.filter((m) =>
      target.join.effectOn ? target.join.effectOn.includes(m.id) : modelKinds[m.kind]!.baseline,
    );
    for (const model of models) {
      const score = (engineRows: EngineRows, period: HeldOutPeriod) =>
        scoreModel(model, engineRows, period, primary, spec);
      const a = await score(withRows, split);
      const b = await score(withoutRows, split);
      const difference = pairedBootstrapDifference(a, b, { seed: spec.seed, resamples: spec.resamples });
      const effect: LabelEffect = {
        task: target.join.task,
        column: target.join.column,
        model: model.id,
        metric: primary,
        rows: split.test.length,
        testSeasons: split.testPeriod.seasons,
        withLabels: mean(a),
        withoutLabels: mean(b),
        difference,
        verdict: verdictOf(a, b, difference),
        withoutMeans: `every row's ${target.join.column} is "${target.join.default}"`,
      };
      if (folds.length) {
        const pooledA: number[] = [];
        const pooledB: number[] = [];
        for (const fold of folds) {
          pooledA.push(...(await score(withRows, fold)));
          pooledB.push(...(await score(withoutRows, fold)));
        }
        pooledA.push(...a);
        pooledB.push(...b);
        const pooledDifference = pairedBootstrapDifference(pooledA, pooledB, {
          seed: spec.seed,
          resamples: spec.resamples,
        });
        const seasons = [...folds.map((f) => f.testSeason), ...split.testPeriod.seasons];
        effect.pooled = {
          periods: folds.length + 1,
          firstSeason: seasons[0]!,
          lastSeason: seasons.at(-1)!,
          seasons: seasons.length,
          rows: pooledA.length,
          withLabels: mean(pooledA),
          withoutLabels: mean(pooledB),
          difference: pooledDifference,
          verdict: verdictOf(pooledA, pooledB, pooledDifference),
        };
      }
      out.push(effect);
    }
  }
  return out;

  // The backtest's folds whose held-out season precedes the test period: the test period's own
  // seasons are scored once, by the final split's fit.
  function foldsBefore(count: number | 'all') {
    const testSeasons = new Set(split.testPeriod.seasons);
    const folds = rollingOriginFolds(timed, {
      minTrainSeasons: spec.backtest.minTrainSeasons,
      maxFolds: Number.POSITIVE_INFINITY,
      gap: spec.split.by === 'season' ? spec.split.gap : 0,
    }).filter((fold) => !testSeasons.has(fold.testSeason));
    return count === 'all' ? folds : folds.slice(-count);
  }
}

async function scoreModel(
  model: ModelDeclaration,
  rows: EngineRows,
  period: HeldOutPeriod,
  primary: TaskMetricId,
  spec: LoadedProject['file'],
): Promise<number[]> {
  const featureNames = model.features ?? spec.use ?? rows.featureNames;
  const columns = featureNames.map((f) => rows.featureNames.indexOf(f));
  const pick = (i: number) => columns.map((c) => rows.x[i]![c]!);
  const artifact = await modelKinds[model.kind]!.fit(
    rows.task,
    {
      featureNames,
      rows: period.train.map(pick),
      outcomes: period.train.map((i) => rows.outcomes[i]!),
    },
    model.params,
    spec.seed,
  );
  const forecasts = period.test.map((i) => forecastWith(artifact, pick(i)));
  return metricRowValues(
    primary,
    rows.task,
    forecasts,
    period.test.map((i) => rows.outcomes[i]!),
  );
}

// The two arms are compared event by event: a default that leaves a feature without a value
// would drop events from one arm only and silently unpair them.
export function checkSameEvents(
  specFile: string,
  column: string,
  a: Pick<EngineRows, 'ids'>,
  b: Pick<EngineRows, 'ids'>,
): void {
  const differs = a.ids.length !== b.ids.length || a.ids.some((id, i) => b.ids[i] !== id);
  if (!differs) return;
  throw new MlfolioError({
    code: 'E_LABEL_EFFECT_UNPAIRED',
    message: `${specFile}: the label effect of column "${column}" compares ${a.ids.length} events with the labels against ${b.ids.length} without them; the two must be the same events.`,
    hint: 'Give the feature views that read the labelled column a default, so every event has its features in both arms.',
  });
}

const mean = (values: readonly number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;
