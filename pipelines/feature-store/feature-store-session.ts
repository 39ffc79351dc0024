import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { evaluateAsOf, type TimelineEvent } from './as-of-evaluator.ts';
import { type EloEvent, runElo } from './elo-ratings.ts';
import {
  buildTimelines,
  createTableFromColumns,
  type EventSource,
  literal,
  loadEvents,
  quote,
} from './event-table.ts';
import { type FeatureStorePlan, orderFormulas, planFeatureStore, storeError } from './feature-store-plan.ts';
import type { EloView, WindowedView } from './feature-view-schema.ts';
import type { TrainingSet } from './training-set.ts';
import { type WindowGroup, windowGroupSql, windowGroups } from './window-sql.ts';
import { type SortedTimeline, sweepView } from './window-sweep.ts';

/**
 * An open feature store: the events loaded into an in-memory DuckDB database, with the per-entity
 * timelines built. One session serves the offline training set, the histories the online store is
 * materialised from, and the skew check between the two. Close it when done.
 */
export interface FeatureStoreSession {
  plan: FeatureStorePlan;
  seasons: string[];
  rowCount: number;
  connection: DuckDBConnection;
  /** The point-in-time correct training set (only some of its rows with `options.at`). */
  trainingSet(options?: TrainingSetOptions): Promise<TrainingSet>;
  /** Every entity's timeline (per entity type, per key), sorted by time then input row. */
  histories(): Promise<Record<string, Map<string, TimelineEvent[]>>>;
  /** The pairwise events an Elo view reads, sorted by time then input row. */
  eloEvents(view: EloView): Promise<{ events: EloEvent[]; rows: Int32Array; firstSeason: number }>;
  close(): void;
}

/** Which rows of a training set to make. */
export interface TrainingSetOptions {
  /**
   * Only the events at this time ordinal: every view is still computed from the whole history
   * loaded, by the same statements and passes (cut only where rows of other entities or times
   * cannot change the rows kept), so those rows hold exactly the values the full set gives them;
   * the rows of other times are neither read back nor corrected. The leakage guard's probes
   * compare only the events at the probe time.
   */
  at?: number;
}

/**
 * Where sessions' tables live. By default each session opens its own in-memory DuckDB instance and
 * closes it. Sessions opened on a `FeatureStoreDatabase` each attach a fresh in-memory catalog to
 * its one instance instead, so many sessions in a row (the leakage guard's rebuilds) set up and
 * tear down DuckDB's threads and buffer pool once. A closed session's catalog is detached when the
 * next session opens, or when the database closes.
 */
export interface FeatureStoreDatabase {
  instance: DuckDBInstance;
  /** Catalogs attached so far; each session gets the next number. */
  attached: number;
  /** Catalogs of closed sessions, not yet detached. */
  closed: string[];
  close(): void;
}

/** An in-memory DuckDB instance for sessions in a row; `threads` caps DuckDB's worker threads. */
export async function createFeatureStoreDatabase(
  options: { threads?: number } = {},
): Promise<FeatureStoreDatabase> {
  const instance = await DuckDBInstance.create(
    ':memory:',
    options.threads === undefined ? {} : { threads: String(options.threads) },
  );
  return { instance, attached: 0, closed: [], close: () => instance.closeSync() };
}

/** `spec` is a plan from `planFeatureStore`, or an untrusted declaration validated here. */
export async function openFeatureStore(
  spec: FeatureStorePlan | unknown,
  source: EventSource,
  specSource = 'feature store declaration',
  database?: FeatureStoreDatabase,
): Promise<FeatureStoreSession> {
  const plan = isPlan(spec) ? spec : planFeatureStore(spec, specSource);
  const instance = database?.instance ?? (await DuckDBInstance.create(':memory:'));
  const connection = await instance.connect();
  const catalog = database ? quote(`__store_${database.attached++}`) : undefined;
  const release = () => {
    connection.closeSync();
    if (database) database.closed.push(catalog!);
    else instance.closeSync();
  };
  try {
    if (database) {
      const stale = database.closed.splice(0);
      for (const name of stale) await connection.run(`DETACH DATABASE IF EXISTS ${name}`);
      await connection.run(`ATTACH ':memory:' AS ${catalog}; USE ${catalog}`);
    }
    const loaded = await loadEvents(connection, plan, source);
    await buildTimelines(connection, plan);
    let historyCache: Record<string, Map<string, TimelineEvent[]>> | undefined;
    const eloCache = new Map<string, ReturnType<typeof readEloEvents>>();
    const session: FeatureStoreSession = {
      plan,
      seasons: loaded.seasons,
      rowCount: loaded.rowCount,
      connection,
      trainingSet: (options) => computeTrainingSet(session, options?.at),
      histories: async () => {
        historyCache ??= await readHistories(connection, plan);
        return historyCache;
      },
      eloEvents: (view) => {
        let events = eloCache.get(view.name);
        if (!events) {
          events = readEloEvents(connection, plan, view);
          eloCache.set(view.name, events);
        }
        return events;
      },
      close: release,
    };
    return session;
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Builds the point-in-time correct training set of `source` under the declaration `spec`: one row
 * per event with every feature as known strictly before the event's time (same-time events and
 * rows recorded after the event excluded), each with the time of the data it read.
 */
export async function buildTrainingSet(
  spec: FeatureStorePlan | unknown,
  source: EventSource,
  specSource = 'feature store declaration',
  database?: FeatureStoreDatabase,
  options?: TrainingSetOptions,
): Promise<TrainingSet> {
  const session = await openFeatureStore(spec, source, specSource, database);
  try {
    return await session.trainingSet(options);
  } finally {
    session.close();
  }
}

function isPlan(value: unknown): value is FeatureStorePlan {
  return typeof value === 'object' && value !== null && 'outputs' in value && 'spec' in value;
}

async function computeTrainingSet(session: FeatureStoreSession, at?: number): Promise<TrainingSet> {
  const { plan, connection } = session;
  const table = plan.spec.table;
  const directViews: Record<string, WindowedView[]> = {};
  const ties: Record<string, boolean> = {};
  const joins: string[] = [];
  const selects: string[] = [];
  const viewOutputs = (view: string) => plan.outputs.filter((output) => output.view === view);
  const groups: WindowGroup[] = [];
  for (const group of windowGroups(plan)) {
    const entity = plan.entities[group.entity]!;
    const everyRole = group.historyRoles.length === entity.roles.length;
    ties[group.entity] ??= await hasTies(connection, group.entity);
    // A since view reads only the time of the entity's last earlier event: the sweep finds it
    // past same-time rows, exactly (whole days or seasons), so ties do not send it to SQL.
    const swept = everyRole ? group.views.filter((view) => !ties[group.entity] || view.kind === 'since') : [];
    const rest = group.views.filter((view) => !swept.includes(view));
    if (rest.length) groups.push({ ...group, views: rest });
    if (swept.length) directViews[group.entity] = [...(directViews[group.entity] ?? []), ...swept];
  }
  for (const [index, group] of groups.entries()) {
    const name = `__g${index}`;
    await connection.run(windowGroupSql(group, name, at));
    const roles = new Set(group.views.flatMap((view) => viewOutputs(view.name).map((o) => o.role!)));
    for (const role of roles) {
      const alias = quote(`${name}_${role}`);
      joins.push(
        `LEFT JOIN ${quote(name)} ${alias} ON ${alias}.__row = e.__row AND ${alias}.__role = ${literal(role)}`,
      );
      for (const view of group.views) {
        const output = viewOutputs(view.name).find((o) => o.role === role);
        if (!output) continue;
        selects.push(
          `CAST(${alias}.${quote(view.name)} AS DOUBLE) AS ${quote(output.column)}`,
          `CAST(${alias}.${quote(`__asof_${view.name}`)} AS INTEGER) AS ${quote(`__asof_${output.column}`)}`,
        );
      }
    }
  }
  for (const view of plan.spec.views) {
    if (view.kind === 'column') {
      selects.push(
        `${numeric(quote(view.column))} AS ${quote(view.name)}`,
        `e.__t AS ${quote(`__asof_${view.name}`)}`,
      );
      const bad = await connection.runAndReadAll(
        `SELECT __row, CAST(${quote(view.column)} AS VARCHAR) FROM events WHERE ${quote(view.column)} IS NOT NULL AND ${numeric(quote(view.column))} IS NULL LIMIT 3`,
      );
      const rows = bad.getRowsJS() as [number, string][];
      if (rows.length) {
        throw storeError(
          'E_FEATURE_NOT_NUMERIC',
          `${plan.source}: feature view "${view.name}", field column: column "${view.column}" is not numeric or boolean in row(s) ${rows.map(([r, v]) => `${r} (${JSON.stringify(v)})`).join(', ')}.`,
          'A column feature must hold numbers or booleans; encode categories in the source table first.',
        );
      }
    }
    if (view.kind === 'elo') {
      const name = `__elo_${view.name}`;
      const { events, rows, firstSeason } = await session.eloEvents(view);
      const run = runElo(view, events, firstSeason);
      const [first, second] = view.roles ?? plan.entities[view.entity]!.roles;
      // The ratings run over every event; with `at`, only those of events at that time (a
      // contiguous range, the events being sorted by time) are kept.
      let from = 0;
      let to = rows.length;
      if (at !== undefined) {
        while (from < to && events[from]!.t < at) from++;
        to = from;
        while (to < rows.length && events[to]!.t === at) to++;
      }
      const pick = (offset: number, source: Float64Array) => {
        const out = new Float64Array(to - from);
        for (let i = 0; i < out.length; i++) out[i] = source[2 * (from + i) + offset]!;
        return out;
      };
      await createTableFromColumns(connection, name, [
        { name: '__row', type: 'integer', values: rows.subarray(from, to) },
        { name: 'first', type: 'double', values: pick(0, run.pre) },
        { name: 'second', type: 'double', values: pick(1, run.pre) },
        { name: 'first_asof', type: 'integer', values: pick(0, run.asOf) },
        { name: 'second_asof', type: 'integer', values: pick(1, run.asOf) },
      ]);
      joins.push(`LEFT JOIN ${quote(name)} ON ${quote(name)}.__row = e.__row`);
      for (const output of viewOutputs(view.name)) {
        const side = output.role === first ? 'first' : output.role === second ? 'second' : undefined;
        if (!side) continue;
        selects.push(
          `${quote(name)}.${side} AS ${quote(output.column)}`,
          `${quote(name)}.${side}_asof AS ${quote(`__asof_${output.column}`)}`,
        );
      }
    }
  }
  // Entity keys cross as the timeline's entity numbers, decoded through one small dictionary per
  // entity, instead of one string per event and role.
  const keys: string[] = [];
  const dictionaries: Record<string, string[]> = {};
  for (const [role, declared] of Object.entries(table.roles)) {
    const alias = quote(`__k_${role}`);
    joins.push(
      `JOIN ${quote(`__keys_${declared.entity}`)} ${alias} ON ${alias}.__entity = CAST(e.${quote(declared.key)} AS VARCHAR)`,
    );
    keys.push(`${alias}.__e AS ${quote(`__key_${role}`)}`);
    dictionaries[role] = await keyNames(connection, declared.entity);
  }
  // Without an id column an event's id is its input row as text, made here rather than decoded.
  const id = table.id ? 'e.__id, ' : '';
  const where = at === undefined ? '' : ` WHERE e.__t = ${at}`;
  const query = `SELECT e.__row, ${id}e.__t, e.__avail, e.__season, ${[...keys, ...selects].join(', ')} FROM events e ${joins.join(' ')}${where}`;
  const size =
    at === undefined
      ? session.rowCount
      : ((
          await connection.runAndReadAll(`SELECT count(*)::INTEGER FROM events e${where}`)
        ).getColumnsJS()[0]![0] as number);
  const set = await readTrainingSet(session, `${query} ORDER BY __t, __row`, dictionaries, size);
  if (!table.id) for (let i = 0; i < set.size; i++) set.ids[i] = String(set.inputRow[i]);
  // Each input row's position in the set; -1 for a row left out (`at`).
  const position = new Int32Array(session.rowCount).fill(-1);
  for (let i = 0; i < set.size; i++) position[set.inputRow[i]!] = i;
  for (const [entity, views] of Object.entries(directViews)) {
    const roles = plan.entities[entity]!.roles;
    const timeline = await readSortedTimeline(connection, entity, plan.entities[entity]!.columns, roles);
    for (const view of views) {
      const { value, asOf } = sweepView(view, timeline);
      const targets = roles.map((role) => {
        const output = viewOutputs(view.name).find((o) => o.role === role);
        return output ? { value: set.values[output.column]!, asOf: set.asOf[output.column]! } : undefined;
      });
      for (let k = 0; k < timeline.size; k++) {
        const target = targets[timeline.role[k]!];
        if (!target) continue;
        const i = position[timeline.row[k]!]!;
        if (i < 0) continue;
        target.value[i] = value[k]!;
        target.asOf[i] = asOf[k]!;
      }
    }
  }
  await correctLateRows(session, set, at);
  if (Object.keys(plan.formulas).length) await computeFormulas(session, set);
  return set;
}

/** Streams an entity's timeline sorted by entity, time, input row into typed columns. */
async function readSortedTimeline(
  connection: DuckDBConnection,
  entity: string,
  columns: readonly string[],
  roles: readonly string[],
): Promise<SortedTimeline> {
  const count = await connection.runAndReadAll(`SELECT count(*)::INTEGER FROM ${quote(`tl_${entity}`)}`);
  const size = count.getColumnsJS()[0]![0] as number;
  const timeline: SortedTimeline = {
    size,
    row: new Int32Array(size),
    role: new Int32Array(size),
    t: new Int32Array(size),
    season: new Int32Array(size),
    segment: new Int32Array(size),
    columns: Object.fromEntries(columns.map((c) => [c, new Float64Array(size)])),
  };
  // Integers only: the role's index and a dense entity number, so no string crosses into JS.
  const roleCase = `CASE __role ${roles.map((role, i) => `WHEN ${literal(role)} THEN ${i}`).join(' ')} END`;
  const result = await connection.stream(
    `SELECT __row, ${roleCase}, __t, __season, __e${columns.map((c) => `, ${quote(c)}`).join('')} FROM ${quote(`tl_${entity}`)}`,
  );
  let offset = 0;
  let previous = -1;
  let start = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const n = chunk.rowCount;
    const [row, role, t, season, key] = [0, 1, 2, 3, 4].map((c) => chunk.getColumnVector(c));
    for (let r = 0; r < n; r++) {
      const k = offset + r;
      timeline.row[k] = row!.getItem(r) as number;
      timeline.role[k] = role!.getItem(r) as number;
      timeline.t[k] = t!.getItem(r) as number;
      timeline.season[k] = season!.getItem(r) as number;
      const entityNumber = key!.getItem(r) as number;
      if (
        k > 0 &&
        (entityNumber < previous ||
          (entityNumber === previous && timeline.t[k]! < timeline.t[k - 1]!) ||
          (entityNumber === previous &&
            timeline.t[k] === timeline.t[k - 1] &&
            timeline.row[k]! < timeline.row[k - 1]!))
      ) {
        // Tables keep insertion order in DuckDB; if that ever changed, the sweep would be wrong.
        throw new Error(`Timeline tl_${entity} is not stored in (entity, time, row) order at row ${k}.`);
      }
      if (entityNumber !== previous) {
        start = k;
        previous = entityNumber;
      }
      timeline.segment[k] = start;
    }
    columns.forEach((c, index) => {
      const target = timeline.columns[c]!;
      const vector = chunk.getColumnVector(5 + index);
      for (let r = 0; r < n; r++) target[offset + r] = (vector.getItem(r) as number | null) ?? NaN;
    });
    offset += n;
  }
  return timeline;
}

function numeric(column: string): string {
  return `coalesce(TRY_CAST(${column} AS DOUBLE), TRY_CAST(TRY_CAST(${column} AS BOOLEAN) AS DOUBLE))`;
}

async function hasTies(connection: DuckDBConnection, entity: string): Promise<boolean> {
  const result = await connection.runAndReadAll(
    `SELECT count(*) > count(DISTINCT (__entity, __t)) FROM ${quote(`tl_${entity}`)}`,
  );
  return result.getColumnsJS()[0]![0] === true;
}

async function readTrainingSet(
  session: FeatureStoreSession,
  query: string,
  dictionaries: Record<string, string[]>,
  size: number,
): Promise<TrainingSet> {
  const { plan, connection } = session;
  const roles = Object.keys(plan.spec.table.roles);
  const columns = plan.outputs.map((o) => o.column);
  const result = await connection.stream(query);
  const names = result.columnNames();
  const set: TrainingSet = {
    table: plan.spec.table.name,
    timeKind: plan.spec.table.time.kind,
    seasons: session.seasons,
    size,
    inputRow: new Int32Array(size),
    ids: new Array(size),
    times: new Int32Array(size),
    available: new Int32Array(size),
    seasonIndex: new Int32Array(size),
    entities: Object.fromEntries(roles.map((role) => [role, new Array<string>(size)])),
    columns,
    viewOf: Object.fromEntries(plan.outputs.map((o) => [o.column, o.view])),
    values: Object.fromEntries(columns.map((c) => [c, new Float64Array(size)])),
    asOf: Object.fromEntries(columns.map((c) => [c, new Float64Array(size)])),
  };
  type Sink = (vector: { getItem(index: number): unknown }, count: number, offset: number) => void;
  const numbers =
    (target: Float64Array | Int32Array): Sink =>
    (vector, count, offset) => {
      for (let i = 0; i < count; i++) {
        const value = vector.getItem(i);
        target[offset + i] = value === null ? NaN : (value as number);
      }
    };
  const strings =
    (target: string[]): Sink =>
    (vector, count, offset) => {
      for (let i = 0; i < count; i++) target[offset + i] = vector.getItem(i) as string;
    };
  const sinks: (Sink | undefined)[] = names.map((name) => {
    if (name === '__row') return numbers(set.inputRow);
    if (name === '__id') return strings(set.ids);
    if (name === '__t') return numbers(set.times);
    if (name === '__avail') return numbers(set.available);
    if (name === '__season') return numbers(set.seasonIndex);
    if (name.startsWith('__key_')) {
      const target = set.entities[name.slice(6)]!;
      const names = dictionaries[name.slice(6)]!;
      return (vector, count, offset) => {
        for (let i = 0; i < count; i++) target[offset + i] = names[vector.getItem(i) as number]!;
      };
    }
    if (name.startsWith('__asof_')) {
      const target = set.asOf[name.slice(7)];
      return target ? numbers(target) : undefined;
    }
    const target = set.values[name];
    return target ? numbers(target) : undefined;
  });
  let offset = 0;
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (let c = 0; c < names.length; c++) {
      const sink = sinks[c];
      if (sink) sink(chunk.getColumnVector(c), chunk.rowCount, offset);
    }
    offset += chunk.rowCount;
  }
  return set;
}

/**
 * The SQL windows assume every past row is known from its time. Rows recorded late (ingestion
 * after a later event of the same entity) are not: those events' per-entity values are recomputed
 * by the as-of evaluator, which reads only rows available strictly before the event's time.
 */
async function correctLateRows(session: FeatureStoreSession, set: TrainingSet, at?: number): Promise<void> {
  const { plan, connection } = session;
  if (!plan.spec.table.ingestedAt) return;
  const windowed = plan.spec.views.filter(
    (view): view is WindowedView => view.kind === 'lag' || view.kind === 'rolling' || view.kind === 'since',
  );
  if (!windowed.length) return;
  const position = new Map<number, number>();
  for (let i = 0; i < set.size; i++) position.set(set.inputRow[i]!, i);
  for (const entity of Object.keys(plan.entities)) {
    const timeline = quote(`tl_${entity}`);
    const affected = await connection.runAndReadAll(
      `SELECT DISTINCT t.__row, t.__role, t.__entity, t.__t, t.__season FROM ${timeline} t JOIN ${timeline} h
         ON h.__entity = t.__entity AND h.__t < t.__t AND h.__avail >= t.__t${at === undefined ? '' : ` WHERE t.__t = ${at}`}`,
    );
    const rows = affected.getRowsJS() as [number, string, string, number, number][];
    // Every timeline is read into JS only when some event needs correcting (once per session).
    const histories = rows.length ? await session.histories() : {};
    for (const [row, role, key, t, season] of rows) {
      const history = histories[entity]!.get(key) ?? [];
      for (const view of windowed) {
        if (view.entity !== entity) continue;
        const output = plan.outputs.find((o) => o.view === view.name && o.role === role);
        if (!output) continue;
        const { value, asOf } = evaluateAsOf(view, history, t, season);
        const i = position.get(row)!;
        set.values[output.column]![i] = value ?? NaN;
        set.asOf[output.column]![i] = asOf;
      }
    }
  }
}

/**
 * Formulas run in DuckDB over the other features' final values (after the sweep and late-row
 * corrections), uploaded column by column; a formula's as-of is the latest of its inputs'.
 */
async function computeFormulas(session: FeatureStoreSession, set: TrainingSet): Promise<void> {
  const { plan } = session;
  const all = orderFormulas(plan.formulas, plan.source);
  // Declared differences and ratios need no SQL; the online path evaluates them in SQL, so the
  // skew check still compares the two.
  for (const name of all) {
    const formula = plan.formulas[name]!;
    if (formula.form === 'expression') break;
    const [a, b] = formula.inputs.map((input) => set.values[input]!) as [Float64Array, Float64Array];
    const target = set.values[name]!;
    for (let i = 0; i < set.size; i++) {
      target[i] = formula.form === 'difference' ? a[i]! - b[i]! : b[i] === 0 ? NaN : a[i]! / b[i]!;
    }
  }
  const firstExpression = all.findIndex((name) => plan.formulas[name]!.form === 'expression');
  const order = firstExpression < 0 ? [] : all.slice(firstExpression);
  const inputs = [
    ...new Set(
      order.flatMap((name) => plan.formulas[name]!.inputs).filter((column) => !order.includes(column)),
    ),
  ];
  if (order.length) await evaluateFormulaSql(session, set, order, inputs);
  for (const name of all) {
    const asOf = set.asOf[name]!;
    const sources = plan.formulas[name]!.inputs.map((input) => set.asOf[input]!);
    for (let i = 0; i < set.size; i++) {
      let latest = Number.NaN;
      for (const source of sources) {
        const value = source[i]!;
        if (!Number.isNaN(value) && !(value <= latest)) latest = value;
      }
      asOf[i] = latest;
    }
  }
}

async function evaluateFormulaSql(
  session: FeatureStoreSession,
  set: TrainingSet,
  order: readonly string[],
  inputs: readonly string[],
): Promise<void> {
  const { plan, connection } = session;
  await createTableFromColumns(connection, '__formula_inputs', [
    { name: '__i', type: 'integer', values: Int32Array.from({ length: set.size }, (_, i) => i) },
    ...inputs.map((column) => ({ name: column, type: 'double' as const, values: set.values[column]! })),
  ]);
  let query = 'SELECT * FROM __formula_inputs';
  for (const name of order) {
    const formula = plan.formulas[name]!;
    const next = `SELECT *, CAST((${formula.expression}) AS DOUBLE) AS ${quote(name)} FROM (${query})`;
    try {
      await connection.run(`${next} LIMIT 0`);
    } catch (error) {
      throw storeError(
        'E_FEATURE_FORMULA_INVALID',
        `${plan.source}: feature view "${name}", field expression: ${JSON.stringify(formula.expression)} does not evaluate over the other features: ${(error as Error).message.split('\n')[0]}`,
        `A formula is a DuckDB SQL expression over the output columns ${plan.outputs
          .filter((o) => o.column !== name)
          .map((o) => o.column)
          .join(', ')}.`,
      );
    }
    query = next;
  }
  const result = await connection.stream(`SELECT __i, ${order.map(quote).join(', ')} FROM (${query})`);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const [index, ...values] = chunk.getColumns() as unknown[][];
    order.forEach((name, f) => {
      const target = set.values[name]!;
      const source = values[f]!;
      for (let r = 0; r < chunk.rowCount; r++)
        target[index![r] as number] = (source[r] as number | null) ?? NaN;
    });
  }
  await connection.run('DROP TABLE __formula_inputs');
}

// The dictionaries of entity numbers, per connection (a session's) and entity.
const keyDictionaries = new WeakMap<DuckDBConnection, Map<string, Promise<string[]>>>();

/** An entity's keys by the timeline's entity number (`__e`), read once per session. */
function keyNames(connection: DuckDBConnection, entity: string): Promise<string[]> {
  let cache = keyDictionaries.get(connection);
  if (!cache) {
    cache = new Map();
    keyDictionaries.set(connection, cache);
  }
  let names = cache.get(entity);
  if (!names) {
    names = connection
      .runAndReadAll(`SELECT __e, __entity FROM ${quote(`__keys_${entity}`)}`)
      .then((result) => {
        const [numbers, keys] = result.getColumnsJS() as [number[], string[]];
        const out: string[] = [];
        numbers.forEach((number, i) => {
          out[number] = keys[i]!;
        });
        return out;
      });
    cache.set(entity, names);
  }
  return names;
}

async function readHistories(
  connection: DuckDBConnection,
  plan: FeatureStorePlan,
): Promise<Record<string, Map<string, TimelineEvent[]>>> {
  const out: Record<string, Map<string, TimelineEvent[]>> = {};
  for (const [entity, { roles, columns }] of Object.entries(plan.entities)) {
    const timeline = quote(`tl_${entity}`);
    // Keys in DuckDB's order of `__entity` (the maps' order, hence the online store's); rows by
    // entity number and role index, so that no string is decoded per row.
    const keys = await connection.runAndReadAll(
      `SELECT __e, __entity FROM ${timeline} GROUP BY __e, __entity ORDER BY __entity`,
    );
    const [numbers, names] = keys.getColumnsJS() as [number[], string[]];
    const lists: TimelineEvent[][] = [];
    for (const number of numbers) lists[number] = [];
    const roleCase = `CASE __role ${roles.map((role, i) => `WHEN ${literal(role)} THEN ${i}`).join(' ')} END`;
    const result = await connection.stream(
      `SELECT __e, __row, __t, __avail, __season, ${roleCase}${columns.map((c) => `, ${quote(c)}`).join('')} FROM ${timeline}`,
    );
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const vectors = Array.from({ length: 6 + columns.length }, (_, c) => chunk.getColumnVector(c));
      const [e, row, t, avail, season, role] = vectors as [(typeof vectors)[0], ...typeof vectors];
      for (let r = 0; r < chunk.rowCount; r++) {
        const values: Record<string, number | null> = {};
        columns.forEach((column, c) => {
          values[column] = vectors[6 + c]!.getItem(r) as number | null;
        });
        lists[e.getItem(r) as number]!.push({
          row: row!.getItem(r) as number,
          t: t!.getItem(r) as number,
          avail: avail!.getItem(r) as number,
          season: season!.getItem(r) as number,
          role: roles[role!.getItem(r) as number]!,
          values,
        });
      }
    }
    const map = new Map<string, TimelineEvent[]>();
    numbers.forEach((number, i) => {
      map.set(names[i]!, lists[number]!);
    });
    out[entity] = map;
  }
  return out;
}

async function readEloEvents(
  connection: DuckDBConnection,
  plan: FeatureStorePlan,
  view: EloView,
): Promise<{ events: EloEvent[]; rows: Int32Array; firstSeason: number }> {
  const table = plan.spec.table;
  const [first, second] = (view.roles ?? plan.entities[view.entity]!.roles) as [string, string];
  const score = (role: string) => `CAST((${table.roles[role]!.columns[view.score]}) AS DOUBLE)`;
  const keys = `__keys_${view.entity}`;
  const key = (role: string) => `${quote(`__k_${role}`)}.__e`;
  const join = (role: string) =>
    `JOIN ${quote(keys)} ${quote(`__k_${role}`)} ON ${quote(`__k_${role}`)}.__entity = CAST(${quote(table.roles[role]!.key)} AS VARCHAR)`;
  const names = await keyNames(connection, view.entity);
  const neutral = view.neutral
    ? `coalesce(TRY_CAST(${quote(view.neutral)} AS BOOLEAN), TRY_CAST(${quote(view.neutral)} AS DOUBLE) <> 0, false)`
    : 'false';
  let k: string;
  if (typeof view.k === 'number') k = String(view.k);
  else if (view.k.values) {
    const cases = Object.entries(view.k.values)
      .map(([value, weight]) => `WHEN ${literal(value)} THEN ${weight}`)
      .join(' ');
    k = `CASE CAST(${quote(view.k.column)} AS VARCHAR) ${cases} ELSE ${view.k.default} END`;
  } else k = `coalesce(TRY_CAST(${quote(view.k.column)} AS DOUBLE), ${view.k.default})`;
  const result = await connection.runAndReadAll(
    `SELECT __row, __t, __avail, __season, ${key(first)}, ${key(second)}, ${score(first)}, ${score(second)}, ${neutral}, ${k} FROM events ${join(first)} ${join(second)} ORDER BY __t, __row`,
  );
  // Column by column: one array per column, not one per event.
  const [row, t, avail, season, firstKey, secondKey, firstScore, secondScore, neutralAt, kOf] =
    result.getColumnsJS() as [
      number[],
      number[],
      number[],
      number[],
      number[],
      number[],
      (number | null)[],
      (number | null)[],
      boolean[],
      number[],
    ];
  const size = result.currentRowCount;
  const rows = new Int32Array(size);
  let firstSeason = Number.POSITIVE_INFINITY;
  const events: EloEvent[] = new Array(size);
  for (let i = 0; i < size; i++) {
    rows[i] = row[i]!;
    firstSeason = Math.min(firstSeason, season[i]!);
    events[i] = {
      t: t[i]!,
      avail: avail[i]!,
      season: season[i]!,
      first: names[firstKey[i]!]!,
      second: names[secondKey[i]!]!,
      firstScore: firstScore[i]!,
      secondScore: secondScore[i]!,
      neutral: neutralAt[i]!,
      k: kOf[i]!,
    };
  }
  return { events, rows, firstSeason };
}
