import {
  BOOLEAN,
  DOUBLE,
  type DuckDBConnection,
  DuckDBDataChunk,
  type DuckDBType,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import { didYouMean } from '../../portfolio/suggest.ts';
import { type FeatureStorePlan, storeError } from './feature-store-plan.ts';

/**
 * Where events come from: rows in memory, a CSV, Parquet or JSON file DuckDB reads directly, or
 * rows already in the database (`RowsInDatabase`).
 */
export type EventSource = { rows: readonly Record<string, unknown>[] } | { path: string } | RowsInDatabase;

/**
 * JS rows already copied into the database (the leakage guard keeps one copy for all its
 * rebuilds): `select` is a query over the same DuckDB instance giving `__row` (the row's position,
 * 0…n−1, in that order) and the columns `eventColumnsRead` picks from `columns`, each with the
 * values and type `columnsOfRows` gives them from the rows; `columns` names every column of the
 * rows, in order of first appearance (`columnNamesOfRows`).
 */
export interface RowsInDatabase {
  select: string;
  columns: readonly string[];
}

/** What loading the events established about their times. */
export interface LoadedEvents {
  columns: string[];
  rowCount: number;
  /** Season labels by ordinal (season-timed tables, or date tables with a season column). */
  seasons: string[];
}

/** Quotes an identifier for DuckDB SQL. */
export function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQL string literal. */
export function literal(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export interface AppendColumn {
  name: string;
  type: 'double' | 'integer' | 'varchar' | 'boolean';
  values: ArrayLike<unknown>;
}

const duckTypes: Record<AppendColumn['type'], DuckDBType> = {
  double: DOUBLE,
  integer: INTEGER,
  varchar: VARCHAR,
  boolean: BOOLEAN,
};

/** Creates `table` from columns of equal length, fed to DuckDB in data chunks (not row by row). */
export async function createTableFromColumns(
  connection: DuckDBConnection,
  table: string,
  columns: readonly AppendColumn[],
): Promise<void> {
  await connection.run(
    `CREATE OR REPLACE TABLE ${quote(table)} (${columns.map((c) => `${quote(c.name)} ${c.type.toUpperCase()}`).join(', ')})`,
  );
  const rows = columns[0]?.values.length ?? 0;
  const appender = await connection.createAppender(table);
  const chunkSize = 2048;
  for (let start = 0; start < rows; start += chunkSize) {
    const size = Math.min(chunkSize, rows - start);
    const chunk = DuckDBDataChunk.create(
      columns.map((c) => duckTypes[c.type]),
      size,
    );
    chunk.setColumns(
      columns.map((column) => {
        const out = new Array(size);
        for (let i = 0; i < size; i++) {
          const value = column.values[start + i];
          out[i] = value === undefined || (typeof value === 'number' && Number.isNaN(value)) ? null : value;
        }
        return out;
      }),
    );
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** Every column name of JS rows, in order of first appearance. */
export function columnNamesOfRows(rows: readonly Record<string, unknown>[]): string[] {
  const names: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const name in row) {
      if (!seen.has(name)) {
        seen.add(name);
        names.push(name);
      }
    }
  }
  return names;
}

/**
 * The columns of `available` that building, serving and skew-checking the plan's store read: the
 * table's time, id, season, ingestion time and entity keys, `column` views' columns, Elo's neutral
 * and K columns, and every column an entity's perspective expression mentions (as a whole
 * identifier, in any case, quoted or not, since DuckDB identifiers ignore case). An expression
 * using `COLUMNS(…)` could read any column: then all are read. Others are never loaded.
 */
export function eventColumnsRead(plan: FeatureStorePlan, available: readonly string[]): string[] {
  const table = plan.spec.table;
  const named = new Set<string | undefined>([table.time.column, table.id, table.season, table.ingestedAt]);
  const expressions: string[] = [];
  for (const declared of Object.values(table.roles)) {
    named.add(declared.key);
    expressions.push(...Object.values(declared.columns));
  }
  for (const view of plan.spec.views) {
    if (view.kind === 'column') named.add(view.column);
    if (view.kind === 'elo') {
      named.add(view.neutral);
      if (typeof view.k === 'object') named.add(view.k.column);
    }
  }
  if (expressions.some((expression) => /\bcolumns\s*\(/i.test(expression))) return [...available];
  return available.filter(
    (column) => named.has(column) || expressions.some((expression) => mentions(expression, column)),
  );
}

function mentions(expression: string, column: string): boolean {
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_"])"?${escaped}"?($|[^\\p{L}\\p{N}_"])`, 'iu').test(expression);
}

/**
 * What a JS value is to the typing of row columns (`columnTypeOf`): 0 missing, 1 a whole number
 * within INTEGER's range, 2 another number, 3 a boolean, 4 anything else.
 */
export function valueKind(value: unknown): number {
  if (value == null) return 0;
  if (typeof value === 'number') return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 1 : 2;
  return typeof value === 'boolean' ? 3 : 4;
}

/**
 * The DuckDB type of a column of JS rows from the kinds of value it holds (bit `1 << kind` of
 * `kinds` set for each kind present, see `valueKind`): numbers, booleans, else text.
 */
export function columnTypeOf(kinds: number): AppendColumn['type'] {
  const has = (kind: number) => (kinds & (1 << kind)) !== 0;
  // Whole numbers stay INTEGER so that seasons read back as "2001", not "2001.0".
  if (!has(3) && !has(4)) return has(2) ? 'double' : 'integer';
  return has(1) || has(2) || has(4) ? 'varchar' : 'boolean';
}

/** Column `name` of JS rows as `type` (see `columnTypeOf`): missing values null, text as `String`. */
export function columnOfRows(
  rows: readonly Record<string, unknown>[],
  name: string,
  type: AppendColumn['type'],
): AppendColumn {
  const values = rows.map((row) => {
    const value = row[name];
    if (value == null) return null;
    return type === 'varchar' ? String(value) : value;
  });
  return { name, type, values };
}

/** Infers a DuckDB type per column of JS rows (`columnTypeOf`) and takes its values. */
export function columnsOfRows(
  rows: readonly Record<string, unknown>[],
  names: readonly string[],
): AppendColumn[] {
  return names.map((name) => {
    let kinds = 0;
    for (const row of rows) kinds |= 1 << valueKind(row[name]);
    return columnOfRows(rows, name, columnTypeOf(kinds));
  });
}

/**
 * Loads the events into table `events` with the engine's own columns: `__row` (input order),
 * `__id`, `__t` (time ordinal: days since 1970-01-01, or the season's rank), `__season` (season
 * rank, 0 without seasons), `__avail` (the ordinal from which the row is known: the later of its
 * time and its ingestion time). Throws naming the table and field when a declared column is
 * missing, an entity key is empty, or a time does not parse.
 */
export async function loadEvents(
  connection: DuckDBConnection,
  plan: FeatureStorePlan,
  source: EventSource,
): Promise<LoadedEvents> {
  const table = plan.spec.table;
  const at = (field: string) => `${plan.source}: table "${table.name}", field ${field}`;
  // Row sources are loaded with only the columns the plan reads: every other column would cost
  // conversion and appending on every build (and on every one of the leakage guard's rebuilds).
  let rowColumns: string[] | undefined;
  if ('rows' in source) {
    rowColumns = columnNamesOfRows(source.rows);
    const columns = columnsOfRows(source.rows, eventColumnsRead(plan, rowColumns));
    await createTableFromColumns(connection, '__raw', [
      {
        name: '__row',
        type: 'integer',
        values: Int32Array.from({ length: source.rows.length }, (_, i) => i),
      },
      ...columns,
    ]);
  } else if ('select' in source) {
    rowColumns = [...source.columns];
    // A view: the rows are copied once, into `events`.
    await connection.run(`CREATE OR REPLACE VIEW __raw AS ${source.select}`);
  } else {
    const reader = source.path.endsWith('.parquet')
      ? 'read_parquet'
      : /\.jsonl?$/.test(source.path)
        ? 'read_json_auto'
        : 'read_csv_auto';
    await connection.run(
      // Read in parallel; insertion order is kept, so rowid is the row's position in the file.
      `CREATE OR REPLACE TABLE __file AS SELECT * FROM ${reader}(${literal(source.path)})`,
    );
    await connection.run(
      `CREATE OR REPLACE VIEW __raw AS SELECT CAST(rowid AS INTEGER) AS __row, * FROM __file`,
    );
  }
  const described = await connection.runAndReadAll(`DESCRIBE __raw`);
  const columns = rowColumns ?? (described.getColumnsJS()[0] as string[]).filter((name) => name !== '__row');
  const types = new Map(
    (described.getRowsJS() as [string, string][]).map(([name, type]) => [name, type] as const),
  );
  const requireColumn = (field: string, column: string, hint: string) => {
    if (!columns.includes(column)) {
      throw storeError(
        field.startsWith('roles.') ? 'E_ENTITY_KEY_MISSING' : 'E_FEATURE_UNKNOWN_COLUMN',
        `${at(field)}: the events have no column "${column}" (columns: ${columns.join(', ')}). ${didYouMean(column, columns)}`,
        hint,
      );
    }
  };
  requireColumn('time.column', table.time.column, 'Name the column that holds each event’s date or season.');
  if (table.id) requireColumn('id', table.id, 'Name a column with a unique id per event, or omit `id`.');
  if (table.season) requireColumn('season', table.season, 'Name the column holding each event’s season.');
  if (table.ingestedAt)
    requireColumn('ingestedAt', table.ingestedAt, 'Name the column holding when each row was recorded.');
  for (const [role, declared] of Object.entries(table.roles)) {
    requireColumn(
      `roles.${role}.key`,
      declared.key,
      `Name the column holding the ${declared.entity} key of role "${role}".`,
    );
  }
  for (const view of plan.spec.views) {
    const field = (name: string) => `feature view "${view.name}", field ${name}`;
    const check = (name: string, column: string) => {
      if (!columns.includes(column)) {
        throw storeError(
          'E_FEATURE_UNKNOWN_COLUMN',
          `${plan.source}: ${field(name)}: the events of table "${table.name}" have no column "${column}". ${didYouMean(column, columns)}`,
          `Use one of: ${columns.join(', ')}.`,
        );
      }
    };
    if (view.kind === 'column') check('column', view.column);
    if (view.kind === 'elo') {
      if (view.neutral) check('neutral', view.neutral);
      if (typeof view.k === 'object') check('k.column', view.k.column);
    }
  }

  const time = quote(table.time.column);
  const timeType = types.get(table.time.column) ?? 'VARCHAR';
  const dateOf = (expression: string, type: string) =>
    type === 'DATE'
      ? expression
      : /^TIMESTAMP/.test(type)
        ? `CAST(${expression} AS DATE)`
        : `COALESCE(TRY_CAST(${expression} AS DATE), TRY_CAST(TRY_CAST(${expression} AS TIMESTAMP) AS DATE))`;
  const ordinalOfDate = (expression: string) =>
    `CAST(date_diff('day', DATE '1970-01-01', ${expression}) AS INTEGER)`;
  const timeOrdinal =
    table.time.kind === 'date'
      ? ordinalOfDate(dateOf(time, timeType))
      : `CAST(dense_rank() OVER (ORDER BY ${time}) - 1 AS INTEGER)`;
  const seasonColumn = table.time.kind === 'season' ? table.time.column : table.season;
  const seasonOrdinal = seasonColumn
    ? `CAST(dense_rank() OVER (ORDER BY ${quote(seasonColumn)}) - 1 AS INTEGER)`
    : '0';
  const ingestion = table.ingestedAt
    ? ordinalOfDate(dateOf(quote(table.ingestedAt), types.get(table.ingestedAt) ?? 'VARCHAR'))
    : 'NULL';
  await connection.run(`CREATE OR REPLACE TABLE events AS
    SELECT *, greatest(__t, coalesce(__ingested, __t)) AS __avail FROM (SELECT *, ${table.id ? `CAST(${quote(table.id)} AS VARCHAR)` : 'CAST(__row AS VARCHAR)'} AS __id,
      CASE WHEN ${time} IS NULL THEN NULL ELSE ${timeOrdinal} END AS __t,
      ${seasonOrdinal} AS __season,
      ${ingestion} AS __ingested
    FROM __raw)`);
  await connection.run(
    'rows' in source
      ? 'DROP TABLE __raw'
      : 'path' in source
        ? 'DROP VIEW __raw; DROP TABLE __file'
        : 'DROP VIEW __raw',
  );
  const badTimes = await connection.runAndReadAll(
    `SELECT __row, CAST(${time} AS VARCHAR) FROM events WHERE __t IS NULL ORDER BY __row LIMIT 5`,
  );
  const bad = badTimes.getRowsJS() as [number, string | null][];
  if (bad.length) {
    throw storeError(
      'E_EVENT_TIME_INVALID',
      `${at('time.column')}: column "${table.time.column}" does not hold a ${table.time.kind} in row(s) ${bad.map(([row, value]) => `${row} (${JSON.stringify(value)})`).join(', ')}.`,
      table.time.kind === 'date'
        ? 'Dates must parse as YYYY-MM-DD (or an ISO timestamp); fix or exclude those rows.'
        : 'Every event needs a season; fix or exclude those rows.',
    );
  }
  if (table.ingestedAt) {
    const late = await connection.runAndReadAll(
      `SELECT __row, CAST(${quote(table.ingestedAt)} AS VARCHAR) FROM events WHERE ${quote(table.ingestedAt)} IS NOT NULL AND __ingested IS NULL LIMIT 5`,
    );
    const rows = late.getRowsJS() as [number, string][];
    if (rows.length) {
      throw storeError(
        'E_EVENT_TIME_INVALID',
        `${at('ingestedAt')}: column "${table.ingestedAt}" does not hold a date or timestamp in row(s) ${rows.map(([row, value]) => `${row} (${JSON.stringify(value)})`).join(', ')}.`,
        'Ingestion times must parse as ISO dates or timestamps.',
      );
    }
    if (table.time.kind === 'season') {
      throw storeError(
        'E_FEATURE_STORE_INVALID',
        `${at('ingestedAt')}: ingestion times are supported for date-timed tables only; table "${table.name}" is timed by season.`,
        'Remove `ingestedAt`, or time the table by date.',
      );
    }
  }
  for (const [role, declared] of Object.entries(table.roles)) {
    const empty = await connection.runAndReadAll(
      `SELECT __row FROM events WHERE ${quote(declared.key)} IS NULL OR CAST(${quote(declared.key)} AS VARCHAR) = '' ORDER BY __row LIMIT 5`,
    );
    const rows = (empty.getColumnsJS()[0] ?? []) as number[];
    if (rows.length) {
      throw storeError(
        'E_ENTITY_KEY_MISSING',
        `${at(`roles.${role}.key`)}: column "${declared.key}" is empty in row(s) ${rows.join(', ')}, so those events have no ${declared.entity} for role "${role}".`,
        'Fill the key or exclude those rows before building features.',
      );
    }
  }
  const seasons = seasonColumn
    ? ((
        await connection.runAndReadAll(
          `SELECT DISTINCT CAST(${quote(seasonColumn)} AS VARCHAR) AS s, ${quote(seasonColumn)} AS o FROM events ORDER BY o`,
        )
      ).getColumnsJS()[0] as string[])
    : [];
  const count = await connection.runAndReadAll('SELECT count(*)::INTEGER FROM events');
  return { columns, rowCount: count.getColumnsJS()[0]![0] as number, seasons };
}

/**
 * Builds one long timeline per entity type, `tl_<entity>`: a row per (event, role) with the
 * entity's key (`__entity`, and `__e` a dense number) and its perspective columns as DOUBLE, stored
 * in (entity, time, input row) order; and `__keys_<entity>`, each key with its number. Throws naming the role and column when a
 * perspective expression does not evaluate.
 */
export async function buildTimelines(connection: DuckDBConnection, plan: FeatureStorePlan): Promise<void> {
  const table = plan.spec.table;
  for (const [entity, { roles, columns }] of Object.entries(plan.entities)) {
    const parts: string[] = [];
    for (const role of roles) {
      const declared = table.roles[role]!;
      for (const [name, expression] of Object.entries(declared.columns)) {
        try {
          await connection.run(`SELECT CAST((${expression}) AS DOUBLE) FROM events LIMIT 0`);
        } catch (error) {
          throw storeError(
            'E_FEATURE_UNKNOWN_COLUMN',
            `${plan.source}: table "${table.name}", field roles.${role}.columns.${name}: the expression ${JSON.stringify(expression)} does not evaluate on the events: ${(error as Error).message.split('\n')[0]}`,
            'Write a DuckDB SQL expression over the event table’s columns.',
          );
        }
      }
      const values = columns.map((name) => `CAST((${declared.columns[name]}) AS DOUBLE) AS ${quote(name)}`);
      parts.push(
        `SELECT __row, __t, __avail, __season, ${literal(role)} AS __role, CAST(${quote(declared.key)} AS VARCHAR) AS __entity${values.length ? `, ${values.join(', ')}` : ''} FROM events`,
      );
    }
    // Stored sorted by entity number, time and input row: the sweep reads it in that order.
    await connection.run(
      `CREATE OR REPLACE TABLE ${quote(`tl_${entity}`)} AS
        WITH timeline AS (${parts.join(' UNION ALL ')}),
        numbers AS (SELECT __entity, CAST(row_number() OVER () AS INTEGER) AS __e FROM (SELECT DISTINCT __entity FROM timeline))
        SELECT timeline.*, numbers.__e FROM timeline JOIN numbers USING (__entity) ORDER BY __e, __t, __row`,
    );
    await connection.run(
      `CREATE OR REPLACE TABLE ${quote(`__keys_${entity}`)} AS SELECT DISTINCT __entity, __e FROM ${quote(`tl_${entity}`)}`,
    );
  }
}
