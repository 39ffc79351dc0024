import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { DeployedTaskModel } from '../../operations/deployed-task-model.ts';
import { eventsSpecOf, featureStoreSpecOf } from '../../pipelines/engine/feature-store-spec.ts';
import { explainForecast } from '../../pipelines/explain/forecast-contributions.ts';
import {
  type FeatureStorePlan,
  type FeatureStoreSession,
  formulaEvaluator,
  formulaLineage,
  materializeOnlineStore,
  type OnlineStore,
  planFeatureStore,
  readOnlineStore,
  type ServedRow,
  serveFeatureRow,
  servingFormulaEvaluator,
  timeLabel,
  timeOrdinal,
} from '../../pipelines/feature-store/index.ts';
import { seasonOrdinal } from '../../pipelines/feature-store/online-store.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { argmax, predictiveInterval } from '../../pipelines/tasks/metrics.ts';
import { forecastWith, type TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import type { Forecast, TaskKind } from '../../pipelines/tasks/task.ts';
import { isMlfolioError, MlfolioError } from '../../portfolio/errors.ts';
import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import type { ModelVersion } from '../model-version.ts';
import { explainedPredictionsLimit } from '../prediction-schema.ts';
import { RequestValidationError } from '../request-issues.ts';
import type { EventSchemaContext, ServedEvent, TaskPredictionItem } from './request-schema.ts';

/** A stale feature: read past its view's TTL at the event's time. */
export type StaleFeature = ServedRow['stale'][number];

/** One forecast of a version 2 model, shaped by its task. */
export interface TaskPrediction {
  /** The model's predictive distribution, exactly as `forecastWith` returned it. */
  forecast: Forecast;
  /** Classification: the probability of each class, keyed by class label. */
  probabilities?: Record<string, number>;
  /** Classification: the most probable class. */
  mostLikely?: string;
  /** Regression and count: the predictive mean (for count, the Poisson rate). */
  mean?: number;
  /** Regression: the predictive standard deviation. */
  sd?: number;
  /** Regression and count: central predictive intervals, keyed by level ("80", "95"). */
  intervals?: Record<string, { lower: number; upper: number }>;
  /** The features the model read, in its order. */
  features: Record<string, number>;
  /** As-of time of each feature (the latest data it read); null for a prior or a value given directly. */
  asOf: Record<string, string | null>;
  /** The newest as-of time among the features used; null when none read data. */
  featuresAsOf: string | null;
  /** Features (or the inputs of formulas the model reads) older than their view's TTL. Never silent. */
  stale: StaleFeature[];
  /** Entity keys the online store has no history for: their features are the views' priors. */
  unknownEntities: { role: string; entity: string; key: string }[];
  /** Per-feature contributions, keyed like `reference`; they sum to the forecast minus `reference`. */
  contributions?: { feature: string; value: number; effect: Record<string, number> }[];
  /** The forecast of the reference row (training-period means): class probabilities or `mean`. */
  reference?: Record<string, number>;
}

/** Serves one model of a version 2 run: online store → feature row → forecast. */
export interface TaskPredictor {
  version: ModelVersion;
  task: { kind: TaskKind; classes: readonly string[] };
  /** The features the model reads, in its order. */
  features: readonly string[];
  /** What the request schema is generated from (without the server's limits). */
  request: Omit<EventSchemaContext, 'maxBatch' | 'maxExplained'>;
  /** Test-period metrics of the model and the test period, from its run record. */
  metrics: RunRecord['models'][number]['metrics'];
  testPeriod: RunRecord['split']['test'];
  /** Known entity keys per entity type. */
  entities: Record<string, string[]>;
  /** The time the online store describes: events must come after it (unless point in time). */
  dataEnd: string;
  /** True when the store is re-materialised as of each event's time (replays of past events). */
  pointInTime: boolean;
  /** Most predictions one request may explain within `budget` forward passes. */
  maxExplained(budget: number): number;
  /**
   * Forecasts one validated item. Throws `RequestValidationError` (400, naming the field) when the
   * event cannot be served: a time inside the data, a feature with no value and no prior.
   */
  predict(item: TaskPredictionItem, explain: boolean): Promise<TaskPrediction>;
  /** `predict` for each item, in order; point in time, events at one time share one materialisation. */
  predictBatch(items: readonly TaskPredictionItem[], explain: boolean): Promise<TaskPrediction[]>;
  /**
   * `predict` without contributions, plus the run's best baseline's score for the same feature row
   * (`baseline:<model id>`: the last class's probability — binary: the positive class — or the
   * mean), a pre-assignment covariate for CUPED; empty when the baseline is the served model or a
   * feature it reads has no value.
   */
  predictWithCovariates(item: TaskPredictionItem): Promise<{
    prediction: TaskPrediction;
    covariates: Record<string, number>;
  }>;
  close(): void;
}

export interface TaskPredictorOptions {
  /**
   * Replays past events point in time: the online store is materialised from this session (the
   * run's events) as of each event's time, for the event's entities only, instead of read from the
   * run's store. Used by `mlfolio serve --point-in-time` for `mlfolio replay`.
   */
  history?: FeatureStoreSession;
}

const intervalLevels = [0.8, 0.95] as const;

/**
 * Builds the predictor of a deployed version 2 model: the project's feature-store plan, the run's
 * online store, the artifact and, for covariates, the run's best baseline. Formulas are evaluated
 * in process when in the subset JavaScript and DuckDB read alike, else with DuckDB as the offline
 * store evaluates them (`servingFormulaEvaluator`). Close it to release DuckDB.
 */
export async function loadTaskPredictor(
  project: LoadedProject,
  deployed: DeployedTaskModel,
  baseline: { id: string; artifact: TaskArtifact } | undefined,
  options: TaskPredictorOptions = {},
): Promise<TaskPredictor> {
  const { run, runDir, model, artifact, deployment } = deployed;
  const plan = planFeatureStore(featureStoreSpecOf(project.file), `${project.specFile} (features)`);
  const store = await readOnlineStore(join(runDir, run.featureStore?.onlineStore ?? 'online-store.json'));
  checkServable(project, plan, store, artifact, run.runId);

  // Formulas in the subset JavaScript and DuckDB read alike are evaluated in process; DuckDB is
  // opened only for a formula outside it (or comes with the point-in-time session), as a round
  // trip to it per formula per event was most of a request's time.
  let instance: DuckDBInstance | undefined;
  let connection: DuckDBConnection | undefined = options.history?.connection;
  const openConnection = async (): Promise<DuckDBConnection> => {
    if (!connection) {
      instance = await DuckDBInstance.create(':memory:');
      connection = await instance.connect();
    }
    return connection;
  };
  const evaluate = servingFormulaEvaluator(plan, async () => formulaEvaluator(await openConnection()));
  // One DuckDB connection runs one statement at a time: requests take turns.
  let turn: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const result = turn.then(work, work);
    turn = result.catch(() => undefined);
    return result;
  };

  const table = plan.spec.table;
  const labels = { timeKind: store.timeKind, seasons: store.seasons };
  const dataEnd = lastDataTime(store);
  const classes = run.task.classes;
  const kind = run.task.kind;
  const featureNames = artifact.featureNames;
  const referenceRow = featureNames.map((name) => run.featureReference?.[name] ?? 0);
  const lineage = formulaLineage(plan, featureNames);
  const columnTypes = eventsSpecOf(project.file).columns ?? {};
  const columnViews = plan.spec.views.flatMap((view) =>
    view.kind === 'column'
      ? [
          {
            name: view.column,
            description: view.description,
            type: columnTypes[view.column] === 'boolean' ? ('boolean' as const) : ('number' as const),
          },
        ]
      : [],
  );
  const roles = Object.fromEntries(
    Object.entries(table.roles).map(([role, declared]) => [
      role,
      { entity: declared.entity, key: declared.key },
    ]),
  );
  const entities: Record<string, Set<string>> = {};
  for (const view of Object.values(store.views)) {
    const keys = entities[view.entity] ?? new Set<string>();
    entities[view.entity] = keys;
    for (const [key, record] of Object.entries(view.values)) if (record.asOf !== null) keys.add(key);
  }

  const timeIssue = (time: string): string | undefined => {
    if (options.history) return undefined;
    const t = store.timeKind === 'season' ? seasonOrdinal(store.seasons, time) : timeOrdinal(labels, time);
    if (Number.isNaN(t)) return `is not a season after ${dataEnd}, the last in the data`;
    if (t < store.materializedAt) {
      return `must be after ${dataEnd}: the online store holds every entity's features as of the end of the data, so an earlier event would be forecast with knowledge of its own and later results`;
    }
    return undefined;
  };

  // Point in time, one materialisation serves every event of a batch at the same time: the
  // latest is kept while later events at that time need no other keys.
  let cached: { time: string; keys: Record<string, Set<string>>; store: OnlineStore } | undefined;
  const timeKey = (event: ServedEvent) => `${event.time}|${event.season ?? ''}`;
  const keysOf = (events: readonly ServedEvent[]) => {
    const keys: Record<string, Set<string>> = {};
    for (const event of events) {
      for (const [role, declared] of Object.entries(table.roles)) {
        const key = event.entities[role];
        if (key === undefined) continue;
        const set = keys[declared.entity] ?? new Set<string>();
        set.add(key);
        keys[declared.entity] = set;
      }
    }
    return keys;
  };
  const storeFor = async (event: ServedEvent, batch: readonly ServedEvent[] = []): Promise<OnlineStore> => {
    const session = options.history;
    if (!session) return store;
    const needed = keysOf([event]);
    if (
      cached?.time === timeKey(event) &&
      Object.entries(needed).every(([entity, keys]) =>
        [...keys].every((key) => cached!.keys[entity]?.has(key)),
      )
    ) {
      return cached.store;
    }
    const pitLabels = { timeKind: table.time.kind, seasons: session.seasons };
    const t =
      table.time.kind === 'season'
        ? seasonOrdinal(session.seasons, event.time)
        : timeOrdinal(pitLabels, event.time);
    const season =
      table.time.kind === 'season'
        ? t
        : event.season !== undefined
          ? seasonOrdinal(session.seasons, event.season)
          : undefined;
    const keys = keysOf([event, ...batch.filter((other) => timeKey(other) === timeKey(event))]);
    const materialised = await materializeOnlineStore(session, {
      at: t,
      ...(season === undefined ? {} : { season }),
      keys: Object.fromEntries(Object.entries(keys).map(([entity, set]) => [entity, [...set]])),
    });
    cached = { time: timeKey(event), keys, store: materialised };
    return materialised;
  };

  const serveEvent = async (event: ServedEvent, batch: readonly ServedEvent[]) => {
    const source = await storeFor(event, batch);
    let served: ServedRow;
    try {
      served = await serveFeatureRow(
        plan,
        source,
        {
          time: event.time,
          ...(event.season === undefined ? {} : { season: event.season }),
          entities: event.entities,
          columns: event.columns,
        },
        evaluate,
      );
    } catch (error) {
      if (isMlfolioError(error) && ['E_EVENT_TIME_INVALID', 'E_FEATURE_LOOKAHEAD'].includes(error.code)) {
        throw new RequestValidationError([{ field: 'event.time', message: error.message }], 'body');
      }
      throw error;
    }
    const viewsOf = viewsByEntity(source);
    const unknownEntities = Object.entries(table.roles).flatMap(([role, declared]) => {
      const key = event.entities[role]!;
      const views = viewsOf.get(declared.entity) ?? [];
      const known = views.length === 0 || views.some((view) => (view.values[key]?.asOf ?? null) !== null);
      return known ? [] : [{ role, entity: declared.entity, key }];
    });
    const missing = featureNames.filter(
      (name) => served.values[name] === null || served.values[name] === undefined,
    );
    if (missing.length) {
      throw new RequestValidationError(
        missing.map((name) => ({
          field: 'event',
          message: `feature "${name}" has no value for this event (${describeMissing(plan, name, unknownEntities)}); send "features" directly, or declare a default for its view.`,
        })),
        'body',
      );
    }
    return {
      values: served.values,
      row: featureNames.map((name) => served.values[name]!),
      asOf: Object.fromEntries(featureNames.map((name) => [name, served.asOf[name] ?? null])),
      stale: served.stale.filter((entry) => lineage.has(entry.feature)),
      unknownEntities,
    };
  };

  const compareTimes = (a: string, b: string) =>
    store.timeKind === 'season'
      ? seasonOrdinal(store.seasons, a) - seasonOrdinal(store.seasons, b) || a.localeCompare(b)
      : a.localeCompare(b);

  const answer = (
    forecast: Forecast,
  ): Pick<TaskPrediction, 'probabilities' | 'mostLikely' | 'mean' | 'sd' | 'intervals'> => {
    if (forecast.kind === 'probabilities') {
      return {
        probabilities: Object.fromEntries(classes.map((name, k) => [name, forecast.p[k]!])),
        mostLikely: classes[argmax(forecast.p)]!,
      };
    }
    const intervals = Object.fromEntries(
      intervalLevels.map((level) => [String(Math.round(level * 100)), predictiveInterval(forecast, level)]),
    );
    return forecast.kind === 'gaussian'
      ? { mean: forecast.mean, sd: forecast.sd, intervals }
      : { mean: forecast.mean, intervals };
  };
  const outputLabels = kind === 'regression' || kind === 'count' ? ['mean'] : [...classes];
  const keyed = (values: readonly number[]) =>
    Object.fromEntries(outputLabels.map((label, k) => [label, values[k]!]));

  const rowOf = (item: TaskPredictionItem, batch: readonly ServedEvent[] = []) =>
    item.event
      ? serveEvent(item.event, batch)
      : Promise.resolve({
          values: item.features! as Record<string, number | null>,
          row: featureNames.map((name) => item.features![name]!),
          asOf: Object.fromEntries(featureNames.map((name) => [name, null])) as Record<string, string | null>,
          stale: [] as StaleFeature[],
          unknownEntities: [] as TaskPrediction['unknownEntities'],
        });

  const forecastItem = async (
    item: TaskPredictionItem,
    explain: boolean,
    batch: readonly ServedEvent[] = [],
  ) => {
    const { values, row, asOf, stale, unknownEntities } = await rowOf(item, batch);
    const forecast = forecastWith(artifact, row);
    const times = Object.values(asOf).filter((time): time is string => time !== null);
    const prediction: TaskPrediction = {
      forecast,
      ...answer(forecast),
      features: Object.fromEntries(featureNames.map((name, j) => [name, row[j]!])),
      asOf,
      featuresAsOf: times.length ? times.sort(compareTimes).at(-1)! : null,
      stale,
      unknownEntities,
    };
    if (explain) {
      const explanation = explainForecast((x) => forecastWith(artifact, x), featureNames, row, referenceRow);
      prediction.contributions = explanation.contributions.map((c) => ({
        feature: c.feature,
        value: c.value,
        effect: keyed(c.outputs),
      }));
      prediction.reference = keyed(explanation.reference);
    }
    return { prediction, values };
  };

  return {
    version: {
      project: run.project,
      runId: run.runId,
      runKey: run.key,
      modelId: model.id,
      kind: model.kind,
      label: model.label,
      promotedBy: deployment ? deployment.by : 'latest-run-best',
      promotedAt: deployment?.at,
    },
    task: { kind, classes },
    features: featureNames,
    metrics: model.metrics,
    testPeriod: run.split.test,
    request: {
      timeKind: table.time.kind,
      seasonColumn: table.time.kind === 'date' && table.season !== undefined,
      roles,
      columns: dedupe(columnViews),
      features: featureNames,
      timeIssue,
    },
    entities: Object.fromEntries(
      Object.entries(entities).map(([entity, keys]) => [entity, [...keys].sort()]),
    ),
    dataEnd,
    pointInTime: options.history !== undefined,
    maxExplained: (budget) => explainedPredictionsLimit(featureNames.length, budget),
    predict: (item, explain) => serially(async () => (await forecastItem(item, explain)).prediction),
    predictBatch: (items, explain) =>
      serially(async () => {
        const events = items.flatMap((item) => (item.event ? [item.event] : []));
        const predictions: TaskPrediction[] = [];
        for (const item of items) predictions.push((await forecastItem(item, explain, events)).prediction);
        return predictions;
      }),
    predictWithCovariates: (item) =>
      serially(async () => {
        const { prediction, values } = await forecastItem(item, false);
        const covariates: Record<string, number> = {};
        const names = baseline?.artifact.featureNames ?? [];
        if (baseline && names.every((name) => typeof values[name] === 'number')) {
          const forecast = forecastWith(
            baseline.artifact,
            names.map((name) => values[name]!),
          );
          covariates[`baseline:${baseline.id}`] =
            forecast.kind === 'probabilities' ? forecast.p.at(-1)! : forecast.mean;
        }
        return { prediction, covariates };
      }),
    close: () => {
      if (instance) {
        connection?.closeSync();
        instance.closeSync();
      }
    },
  };
}

// A store's views grouped by entity, per store: the run's store once, a point-in-time one per
// materialisation, rather than per event.
const storeViews = new WeakMap<OnlineStore, Map<string, OnlineStore['views'][string][]>>();
function viewsByEntity(store: OnlineStore): Map<string, OnlineStore['views'][string][]> {
  let grouped = storeViews.get(store);
  if (!grouped) {
    grouped = new Map();
    for (const view of Object.values(store.views)) {
      const list = grouped.get(view.entity) ?? [];
      list.push(view);
      grouped.set(view.entity, list);
    }
    storeViews.set(store, grouped);
  }
  return grouped;
}

/** The last time the online store's data reached (the materialisation time, less one). */
function lastDataTime(store: OnlineStore): string {
  const labels = { timeKind: store.timeKind, seasons: store.seasons };
  return timeLabel(labels, store.materializedAt - 1) ?? String(store.materializedAt - 1);
}

function describeMissing(
  plan: FeatureStorePlan,
  feature: string,
  unknown: TaskPrediction['unknownEntities'],
): string {
  const output = plan.outputs.find((o) => o.column === feature);
  if (output?.role && unknown.some((u) => u.role === output.role)) {
    return `view "${output.view}" has no history for the ${output.role} entity and declares no default`;
  }
  return `view "${output?.view ?? feature}" read no data`;
}

function dedupe<T extends { name: string }>(columns: T[]): T[] {
  const seen = new Map<string, T>();
  for (const column of columns) if (!seen.has(column.name)) seen.set(column.name, column);
  return [...seen.values()];
}

/** The project's current feature views must still produce what the run's model reads and store. */
function checkServable(
  project: LoadedProject,
  plan: FeatureStorePlan,
  store: OnlineStore,
  artifact: TaskArtifact,
  runId: string,
): void {
  const outputs = new Set(plan.outputs.map((o) => o.column));
  const missing = artifact.featureNames.filter((name) => !outputs.has(name));
  const perEntity = plan.spec.views.filter((view) => view.kind !== 'column' && view.kind !== 'formula');
  const unstored = perEntity.filter((view) => !store.views[view.name]).map((view) => view.name);
  if (missing.length || unstored.length) {
    throw new MlfolioError({
      code: 'E_SERVING_RUN_STALE',
      message: `${project.specFile}: the feature views changed since run ${runId}: ${[
        missing.length ? `the model reads ${missing.join(', ')}, which no view produces now` : '',
        unstored.length ? `view(s) ${unstored.join(', ')} are not in the run's online store` : '',
      ]
        .filter(Boolean)
        .join('; ')}.`,
      hint: `Rerun the project with \`mlfolio run ${project.slug}\`, then serve the new run.`,
    });
  }
}
