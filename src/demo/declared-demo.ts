/**
 * The demo of a declared (version 2) project: one computation shared by the build (the first
 * forecast, rendered without JavaScript) and the browser. An event the reader describes — an
 * entity per role, the event's own column values, its time — becomes a feature row through the
 * feature store's own serving code, reading the online store the run wrote; the run's model then
 * forecasts it with `forecastWith`. Pure and browser-safe.
 */

import type { FeatureStorePlan } from '../../pipelines/feature-store/feature-store-plan.ts';
import { browserFormulaEvaluator } from '../../pipelines/feature-store/formula-expression.ts';
import {
  type OnlineRecord,
  type OnlineStore,
  type ServedRow,
  serveFeatureRow,
} from '../../pipelines/feature-store/online-serving.ts';
import { forecastWith, type TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import type { Forecast, TaskKind } from '../../pipelines/tasks/task.ts';

/** The online store with each entity's keys listed once and each view's values as arrays. */
export interface PackedOnlineStore extends Omit<OnlineStore, 'views'> {
  /** Entity keys per entity type, sorted: every key the store knows. */
  keys: Record<string, string[]>;
  /** Every as-of time once; views refer to them by index. */
  times: string[];
  views: Record<
    string,
    {
      entity: string;
      ttl: string;
      /** Per key of the entity, in the order of `keys[entity]`. */
      value: (number | null)[];
      /** Index into `times`; -1 for none; -2 where the view holds no record for the key. */
      asOf: number[];
      /** Index into `seasons`; -1 for none. */
      season: number[];
    }
  >;
}

export interface DemoColumnInput {
  /** The column view (and feature) the input fills. */
  feature: string;
  /** The event column the view reads. */
  column: string;
  description: string;
  type: 'number' | 'boolean' | 'category';
  /** The training-period mean (numbers), 0/1 (booleans), or empty. */
  initial: string;
}

export interface DemoFormula {
  feature: string;
  expression: string;
  description: string;
  /** Why the browser cannot evaluate it, when it cannot: the demo then asks for its value. */
  unsupported?: string;
}

/** Everything the version 2 demo page embeds, as JSON. */
export interface DeclaredDemoData {
  task: { kind: TaskKind; target: string; classes: string[]; classLabels: string[] };
  plan: FeatureStorePlan;
  store: PackedOnlineStore;
  model: { id: string; label: string; href: string; sizeBytes: number; artifact?: TaskArtifact };
  /** One entity picker per role. */
  roles: { role: string; entity: string }[];
  columns: DemoColumnInput[];
  formulas: DemoFormula[];
  time: { kind: 'date' | 'season'; earliest: string };
  defaults: { entities: Record<string, string>; time: string };
}

/** What the reader asks: the event, and any formula values typed in by hand. */
export interface DemoRequest {
  time: string;
  entities: Record<string, string>;
  /** Column values by event column, as typed (numbers, `true`/`false`, text). */
  columns: Record<string, string | number | boolean>;
  /** Values for formulas outside the browser subset, by feature. */
  entered: Record<string, number | null>;
}

export interface DemoPrediction {
  row: ServedRow;
  /** The model's input, in its feature order. */
  features: { name: string; value: number }[];
  /** Model features that had no value (not forecast). */
  missing: string[];
  forecast: Forecast | null;
}

/** Packs an online store for the page (see {@link PackedOnlineStore}): every entity key, and the values of `views`. */
export function packOnlineStore(store: OnlineStore, views: readonly string[]): PackedOnlineStore {
  // Every key the store knows is listed, even for an entity none of the kept views describes:
  // the reader still picks who the event is about.
  const keys: Record<string, Set<string>> = {};
  for (const view of Object.values(store.views)) {
    keys[view.entity] ??= new Set();
    for (const key of Object.keys(view.values)) keys[view.entity]!.add(key);
  }
  const sortedKeys = Object.fromEntries(
    Object.entries(keys).map(([entity, set]) => [entity, [...set].sort((a, b) => a.localeCompare(b))]),
  );
  const times: string[] = [];
  const timeIndex = new Map<string, number>();
  const indexOf = (time: string | null) => {
    if (time === null) return -1;
    if (!timeIndex.has(time)) {
      timeIndex.set(time, times.length);
      times.push(time);
    }
    return timeIndex.get(time)!;
  };
  const packed: PackedOnlineStore['views'] = {};
  for (const name of views) {
    const view = store.views[name];
    if (!view) continue;
    const records = sortedKeys[view.entity]!.map((key) => view.values[key]);
    packed[name] = {
      entity: view.entity,
      ttl: view.ttl,
      value: records.map((record) => record?.value ?? null),
      asOf: records.map((record) => (record ? indexOf(record.asOf) : -2)),
      season: records.map((record) => (record?.season == null ? -1 : store.seasons.indexOf(record.season))),
    };
  }
  const { views: _views, ...rest } = store;
  return { ...rest, keys: sortedKeys, times, views: packed };
}

/** The online store a packed one was made from (restricted to the packed views). */
export function unpackOnlineStore(packed: PackedOnlineStore): OnlineStore {
  const { keys, times, views, ...rest } = packed;
  const store: OnlineStore = { ...rest, views: {} };
  for (const [name, view] of Object.entries(views)) {
    const values: Record<string, OnlineRecord> = {};
    keys[view.entity]!.forEach((key, i) => {
      const asOf = view.asOf[i]!;
      if (asOf === -2) return;
      const season = view.season[i]!;
      values[key] = {
        value: view.value[i] ?? null,
        asOf: asOf === -1 ? null : times[asOf]!,
        season: season === -1 ? null : packed.seasons[season]!,
      };
    });
    store.views[name] = { entity: view.entity, ttl: view.ttl, values };
  }
  return store;
}

const unpacked = new WeakMap<PackedOnlineStore, OnlineStore>();

/**
 * The event's feature row from the online store (the feature store's `serveFeatureRow`, formulas
 * through the browser subset), then the model's forecast when every feature it reads has a value.
 */
export async function predictEvent(
  data: DeclaredDemoData,
  artifact: TaskArtifact,
  request: DemoRequest,
): Promise<DemoPrediction> {
  let store = unpacked.get(data.store);
  if (!store) {
    store = unpackOnlineStore(data.store);
    unpacked.set(data.store, store);
  }
  const row = await serveFeatureRow(
    data.plan,
    store,
    {
      time: request.time,
      // A date-timed table with seasons: the event belongs to the latest season the store knows.
      ...(store.timeKind === 'date' && store.seasons.length ? { season: store.seasons.at(-1)! } : {}),
      entities: request.entities,
      columns: request.columns,
    },
    browserFormulaEvaluator(data.plan, request.entered),
  );
  const features = artifact.featureNames.map((name) => ({ name, value: row.values[name] ?? Number.NaN }));
  const missing = features.filter((f) => !Number.isFinite(f.value)).map((f) => f.name);
  const forecast = missing.length
    ? null
    : forecastWith(
        artifact,
        features.map((f) => f.value),
      );
  return { row, features, missing, forecast };
}

const z80 = 1.2815515655446004;
const z95 = 1.959963984540054;

/** A forecast's central value and its 80% and 95% intervals (regression and count). */
export function forecastSummary(forecast: Forecast): {
  mean: number;
  interval80: [number, number];
  interval95: [number, number];
} | null {
  if (forecast.kind === 'gaussian') {
    const { mean, sd } = forecast;
    return {
      mean,
      interval80: [mean - z80 * sd, mean + z80 * sd],
      interval95: [mean - z95 * sd, mean + z95 * sd],
    };
  }
  if (forecast.kind === 'poisson') {
    return {
      mean: forecast.mean,
      interval80: [poissonQuantile(forecast.mean, 0.1), poissonQuantile(forecast.mean, 0.9)],
      interval95: [poissonQuantile(forecast.mean, 0.025), poissonQuantile(forecast.mean, 0.975)],
    };
  }
  return null;
}

/** The smallest count whose Poisson CDF reaches `p`. */
function poissonQuantile(mean: number, p: number): number {
  let k = 0;
  let term = Math.exp(-mean);
  let cdf = term;
  while (cdf < p && k < 100_000) {
    k++;
    term *= mean / k;
    cdf += term;
  }
  return k;
}

/** A feature value as the page shows it. */
export function formatFeatureValue(value: number | null | undefined): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  return value.toFixed(Math.abs(value) >= 100 ? 0 : 2);
}

/** A central value or interval end as the page shows it. */
export const formatEstimate = (value: number) => value.toFixed(1);

/** A class probability as the page shows it. */
export const formatPercent = (p: number) => `${(p * 100).toFixed(1)}%`;

/** The request the form describes before the reader changes anything. */
export function defaultRequest(data: DeclaredDemoData): DemoRequest {
  return {
    time: data.defaults.time,
    entities: { ...data.defaults.entities },
    columns: Object.fromEntries(
      data.columns.map((input) => [
        input.column,
        input.type === 'boolean' ? input.initial === 'true' : input.initial,
      ]),
    ),
    entered: {},
  };
}
