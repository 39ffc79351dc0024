/**
 * Serving from the online store: a new event's feature row, and one feature's value with its
 * freshness. Pure and browser-safe (no Node, DuckDB or zod imports): the in-browser demo runs this
 * same code. Formulas are evaluated by a callback (`servingFormulaEvaluator` in Node: the
 * formula-expression subset in process, DuckDB SQL for the rest; the subset in the browser).
 */
import { MlfolioError } from '../../portfolio/errors.ts';
import { type EloState, ratingFor } from './elo-ratings.ts';
import type { FeatureStorePlan } from './feature-store-plan.ts';
import { timeLabel, timeOrdinal } from './training-set.ts';

export const onlineStoreFormat = 'mlfolio-online-store/1';

/** The latest value of one view for one entity. */
export interface OnlineRecord {
  value: number | null;
  /** Time of the latest data the value read (`YYYY-MM-DD` or a season); null when it read none. */
  asOf: string | null;
  /** Season the value belongs to (its entity's latest season), for same-season windows and Elo. */
  season: string | null;
}

/**
 * Every per-entity view's latest value per entity key, as known strictly before `materializedAt`.
 * Written as one JSON file; read by entity key (and role) with a TTL check.
 */
export interface OnlineStore {
  format: typeof onlineStoreFormat;
  table: string;
  timeKind: 'date' | 'season';
  seasons: string[];
  /** Values read only data known strictly before this time ordinal. */
  materializedAt: number;
  firstSeason: number;
  views: Record<string, { entity: string; ttl: string; values: Record<string, OnlineRecord> }>;
}

/** A value read from the online store, with its freshness. */
export interface OnlineRead {
  value: number | null;
  asOf: string | null;
  /** Age at the read time, in the TTL's unit; null when the value read no data (a prior). */
  age: number | null;
  unit: 'days' | 'seasons';
  ttl: string;
  /** True when the age exceeds the TTL: never serve such a value as fresh. */
  stale: boolean;
}

interface ReadContext {
  plan: FeatureStorePlan;
  store: OnlineStore;
  /** Time ordinal of the read. */
  t: number;
  /** Season ordinal of the read (date tables with seasons), else `t` for season tables. */
  season: number;
}

function freshness(context: ReadContext, view: string, record: OnlineRecord | undefined) {
  const ttl = context.plan.ttl[view]!;
  const labels = { timeKind: context.store.timeKind, seasons: context.store.seasons };
  if (!record?.asOf) return { age: null, unit: ttl.unit, stale: false };
  let age: number;
  if (ttl.unit === 'days' || context.store.timeKind === 'season')
    age = context.t - timeOrdinal(labels, record.asOf);
  else age = context.season - seasonOrdinal(context.store.seasons, record.season ?? '');
  return { age, unit: ttl.unit, stale: age > ttl.amount };
}

/**
 * A season label's ordinal. A season after every known one gets the next ordinal, or, for
 * numbered seasons (2021 after 2020), as many past the last as it is numbered past it, so a value
 * read five seasons after the data is five seasons old (and stale under a shorter TTL).
 */
export function seasonOrdinal(seasons: readonly string[], label: string): number {
  const index = seasons.indexOf(label);
  if (index >= 0) return index;
  const last = seasons.at(-1);
  if (last === undefined) return Number.NaN;
  const numbered = Number.isInteger(Number(label)) && Number.isInteger(Number(last));
  if (numbered) {
    const ahead = Number(label) - Number(last);
    return ahead > 0 ? seasons.length - 1 + ahead : Number.NaN;
  }
  return label > last ? seasons.length : Number.NaN;
}

/**
 * Evaluates one formula's expression over its inputs: a value, or a promise of one (DuckDB). A
 * synchronous answer is used as it is, without waiting a turn of the event loop.
 */
export type FormulaEvaluator = (
  expression: string,
  inputs: Record<string, number | null>,
) => number | null | Promise<number | null>;

/** What `serveFeatureRow` derives from a plan alone: worked out once per plan, not per event. */
interface PlanLayout {
  views: Map<string, FeatureStorePlan['spec']['views'][number]>;
  formulas: { name: string; expression: string; inputs: readonly string[] }[];
}

// Keyed by the plan object: a plan is not changed once planned, and a dropped plan frees its entry.
const layouts = new WeakMap<FeatureStorePlan, PlanLayout>();

function layoutOf(plan: FeatureStorePlan): PlanLayout {
  let layout = layouts.get(plan);
  if (!layout) {
    layout = {
      views: new Map(plan.spec.views.map((view) => [view.name, view])),
      formulas: orderedFormulas(plan).map((name) => ({ name, ...plan.formulas[name]! })),
    };
    layouts.set(plan, layout);
  }
  return layout;
}

/** A new event to serve features for. */
export interface ServeEvent {
  /** Its time: `YYYY-MM-DD`, or a season label. */
  time: string;
  /** Its season, for date-timed tables with seasons. */
  season?: string;
  /** Entity key per role (`{ home: 'Arsenal', away: 'Chelsea' }`). */
  entities: Record<string, string>;
  /** The event's own columns that `column` views read. */
  columns?: Record<string, unknown>;
}

export interface ServedRow {
  values: Record<string, number | null>;
  asOf: Record<string, string | null>;
  /** Features whose value is older than its view's TTL at the event's time. */
  stale: { feature: string; view: string; age: number; unit: 'days' | 'seasons'; ttl: string }[];
}

/**
 * Builds a new event's feature row from the online store: per-role values by entity key (a key
 * the store has never seen gets the view's prior), then `column` views from the event, then
 * formulas (evaluated by `evaluate`, the same SQL the offline store runs). Values older than
 * their TTL are listed in `stale`, never passed off as fresh.
 */
export async function serveFeatureRow(
  plan: FeatureStorePlan,
  store: OnlineStore,
  event: ServeEvent,
  evaluate: FormulaEvaluator,
): Promise<ServedRow> {
  const labels = { timeKind: store.timeKind, seasons: store.seasons };
  const t =
    store.timeKind === 'season' ? seasonOrdinal(store.seasons, event.time) : timeOrdinal(labels, event.time);
  if (Number.isNaN(t)) {
    throw servingError(
      'E_EVENT_TIME_INVALID',
      `Serving table "${plan.spec.table.name}": the event's time ${JSON.stringify(event.time)} is not a ${store.timeKind} ${store.timeKind === 'season' ? 'known to the store or after it' : 'in YYYY-MM-DD form'}.`,
      'Send the event time in the form the table uses.',
    );
  }
  if (t < store.materializedAt) {
    // Serving an event before the materialisation time would read data from its own future.
    throw servingError(
      'E_FEATURE_LOOKAHEAD',
      `Serving table "${plan.spec.table.name}": the event on ${event.time} is before the online store's materialisation (${timeLabel(labels, store.materializedAt)}), so its values could include later data.`,
      'Materialise the store as of the event’s time, or serve only events after it.',
    );
  }
  const season =
    store.timeKind === 'season'
      ? t
      : event.season !== undefined
        ? seasonOrdinal(store.seasons, event.season)
        : 0;
  const context: ReadContext = { plan, store, t, season };
  const row: ServedRow = { values: {}, asOf: {}, stale: [] };
  const { views, formulas } = layoutOf(plan);
  for (const output of plan.outputs) {
    const view = views.get(output.view)!;
    if (view.kind === 'formula') continue;
    if (view.kind === 'column') {
      row.values[output.column] = numeric(event.columns?.[view.column]);
      row.asOf[output.column] = event.time;
      continue;
    }
    const key = event.entities[output.role!];
    if (key === undefined) {
      throw servingError(
        'E_ENTITY_KEY_MISSING',
        `Serving table "${plan.spec.table.name}": the event names no ${view.entity} for role "${output.role}" (feature "${output.column}").`,
        `Send entities.${output.role} with the ${view.entity}'s key.`,
      );
    }
    const record = store.views[view.name]?.values[key];
    let value: number | null;
    let asOf = record?.asOf ?? null;
    if (view.kind === 'elo') {
      const state: EloState | undefined = record
        ? { rating: record.value!, season: seasonOrdinal(store.seasons, record.season ?? ''), asOf: NaN }
        : undefined;
      value = ratingFor(view, state, season, store.firstSeason).rating;
    } else if (view.kind === 'since') {
      value = asOf === null ? (view.default ?? view.cap) : Math.min(view.cap, t - timeOrdinal(labels, asOf));
    } else if (
      view.kind === 'rolling' &&
      view.sameSeason &&
      record &&
      record.season !== (store.seasons[season] ?? null)
    ) {
      value = view.aggregate === 'count' ? 0 : (view.default ?? null);
      asOf = null;
    } else if (record) value = record.value;
    else value = view.kind === 'rolling' && view.aggregate === 'count' ? 0 : (view.default ?? null);
    row.values[output.column] = value;
    row.asOf[output.column] = asOf;
    const fresh = freshness(context, view.name, asOf === null ? undefined : record);
    if (fresh.stale)
      row.stale.push({
        feature: output.column,
        view: view.name,
        age: fresh.age!,
        unit: fresh.unit,
        ttl: view.ttl,
      });
  }
  for (const formula of formulas) {
    const name = formula.name;
    const inputs: Record<string, number | null> = {};
    for (const input of formula.inputs) inputs[input] = row.values[input] ?? null;
    const value = evaluate(formula.expression, inputs);
    row.values[name] = value instanceof Promise ? await value : value;
    const times = formula.inputs
      .map((input) => row.asOf[input])
      .filter((v): v is string => v !== null && v !== undefined);
    row.asOf[name] = times.length
      ? times.sort((a, b) => timeOrdinal(labels, a) - timeOrdinal(labels, b)).at(-1)!
      : null;
  }
  return row;
}

/** Reads one view's value for one entity key at time `at` with its freshness. */
export function readOnlineFeature(
  plan: FeatureStorePlan,
  store: OnlineStore,
  request: { view: string; key: string; at: string; season?: string },
): OnlineRead {
  const view = store.views[request.view];
  if (!view) {
    throw servingError(
      'E_FEATURE_UNKNOWN_VIEW',
      `The online store of table "${store.table}" has no per-entity view "${request.view}" (views: ${Object.keys(store.views).join(', ')}).`,
      'Read a lag, rolling, since or Elo view by its name.',
    );
  }
  const labels = { timeKind: store.timeKind, seasons: store.seasons };
  const t =
    store.timeKind === 'season' ? seasonOrdinal(store.seasons, request.at) : timeOrdinal(labels, request.at);
  const season =
    store.timeKind === 'season'
      ? t
      : request.season !== undefined
        ? seasonOrdinal(store.seasons, request.season)
        : 0;
  const record = view.values[request.key];
  const fresh = freshness({ plan, store, t, season }, request.view, record);
  return { value: record?.value ?? null, asOf: record?.asOf ?? null, ttl: view.ttl, ...fresh };
}

function orderedFormulas(plan: FeatureStorePlan): string[] {
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (name: string) => {
    if (done.has(name)) return;
    done.add(name);
    for (const input of plan.formulas[name]!.inputs) if (plan.formulas[input]) visit(input);
    order.push(name);
  };
  for (const name of Object.keys(plan.formulas)) visit(name);
  return order;
}

function numeric(value: unknown): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  const text = String(value).trim().toLowerCase();
  if (text === 'true') return 1;
  if (text === 'false') return 0;
  const number = Number(text);
  return Number.isFinite(number) ? number : null;
}

function servingError(code: string, message: string, hint: string): MlfolioError {
  return new MlfolioError({ code, message, hint });
}
