import type { DuckDBConnection } from '@duckdb/node-api';
import {
  type AppendColumn,
  columnNamesOfRows,
  columnOfRows,
  columnsOfRows,
  columnTypeOf,
  createTableFromColumns,
  type EventSource,
  eventColumnsRead,
  quote,
  valueKind,
} from './event-table.ts';
import type { FeatureStorePlan } from './feature-store-plan.ts';

/** One probe's counterfactual history: the rows, or where the store loads them from. */
export interface Counterfactual {
  /** The events of the history, as the store loads them. */
  source: EventSource;
  /** `kept[i]`: the input row that is the history's row `i` (input order). */
  kept: number[];
}

/**
 * The leakage guard's counterfactual histories (see `checkFeatureLeakage`): for probe time P, every
 * row up to P in input order, those at P or recorded at P or later with their outcomes changed
 * (`perturb`). The history is handed to the store either as those JS rows, or (`inDatabase`) as a
 * query over one copy of the rows loaded into the guard's DuckDB instance once, plus a small table
 * of the changed rows per probe: the same rows, typed and valued as the store types JS rows
 * (`columnsOfRows`), without converting and appending every row on every probe.
 */
export class CounterfactualHistory {
  readonly #rows: readonly Record<string, unknown>[];
  readonly #time: Int32Array;
  readonly #available: Int32Array;
  readonly #perturbed: readonly string[];
  /** With the copy in the database: where it is, and what it holds. */
  #copy?: {
    connection: DuckDBConnection;
    plan: FeatureStorePlan;
    names: string[];
    types: Map<string, AppendColumn['type']>;
    /** Per column, per value kind: the earliest `available` of a row holding it (unchanged rows up to P are those with `available` < P). */
    kindFrom: Map<string, Float64Array>;
    /** Per column: the earliest time of a row that has the key. */
    keyFrom: Map<string, number>;
  };

  /**
   * `time[j]` and `available[j]`: row j's time ordinal and the ordinal from which it is known, as
   * the declaration defines them; `perturbed`: the columns whose values change.
   */
  constructor(
    rows: readonly Record<string, unknown>[],
    time: Int32Array,
    available: Int32Array,
    perturbed: readonly string[],
  ) {
    this.#rows = rows;
    this.#time = time;
    this.#available = available;
    this.#perturbed = perturbed;
  }

  /**
   * Copies the rows (the columns the plan reads) into table `__guard_events` of `connection`, a
   * connection to the store's instance in its default catalog (`memory`), once; later `at` calls
   * return queries over it.
   */
  async inDatabase(connection: DuckDBConnection, plan: FeatureStorePlan): Promise<void> {
    const rows = this.#rows;
    const names = eventColumnsRead(plan, columnNamesOfRows(rows));
    const columns = columnsOfRows(rows, names);
    const kindFrom = new Map<string, Float64Array>();
    const keyFrom = new Map<string, number>();
    for (const name of columnNamesOfRows(rows)) keyFrom.set(name, Number.POSITIVE_INFINITY);
    for (const name of names) kindFrom.set(name, new Float64Array(5).fill(Number.POSITIVE_INFINITY));
    rows.forEach((row, j) => {
      for (const name in row) keyFrom.set(name, Math.min(keyFrom.get(name)!, this.#time[j]!));
      for (const name of names) {
        const from = kindFrom.get(name)!;
        const kind = valueKind(row[name]);
        from[kind] = Math.min(from[kind]!, this.#available[j]!);
      }
    });
    await createTableFromColumns(connection, '__guard_events', [
      { name: '__j', type: 'integer', values: Int32Array.from({ length: rows.length }, (_, j) => j) },
      { name: '__available', type: 'integer', values: this.#available },
      ...columns,
    ]);
    this.#copy = {
      connection,
      plan,
      names,
      types: new Map(columns.map((column) => [column.name, column.type])),
      kindFrom,
      keyFrom,
    };
  }

  /** The counterfactual history at probe time `probe`. */
  async at(probe: number): Promise<Counterfactual> {
    const kept: number[] = [];
    const changed: number[] = [];
    const counterfactual: Record<string, unknown>[] = [];
    this.#rows.forEach((row, j) => {
      if (this.#time[j]! > probe) return;
      kept.push(j);
      const unknownAtProbe = this.#time[j] === probe || this.#available[j]! >= probe;
      if (unknownAtProbe) changed.push(j);
      if (!this.#copy) counterfactual.push(unknownAtProbe ? perturb(row, this.#perturbed) : row);
    });
    if (!this.#copy) return { source: { rows: counterfactual }, kept };
    const copy = this.#copy;
    const changedRows = changed.map((j) => perturb(this.#rows[j]!, this.#perturbed));
    // The columns as the store would type the counterfactual rows: the kinds of value the unchanged
    // rows hold (known before the probe) and those of the changed rows' new values.
    const types = copy.names.map((name) => {
      let kinds = 0;
      copy.kindFrom.get(name)!.forEach((from, kind) => {
        if (from < probe) kinds |= 1 << kind;
      });
      for (const row of changedRows) kinds |= 1 << valueKind(row[name]);
      return columnTypeOf(kinds);
    });
    // Text does not go back to numbers or booleans exactly as the rows had them: such a probe
    // hands the store the rows themselves.
    if (types.some((type, c) => type !== 'varchar' && copy.types.get(copy.names[c]!) === 'varchar')) {
      const changedRow = new Map(changed.map((j, c) => [j, changedRows[c]!]));
      return { source: { rows: kept.map((j) => changedRow.get(j) ?? this.#rows[j]!) }, kept };
    }
    const columns = this.#namesInOrder(kept, [...copy.keyFrom].filter(([, from]) => from <= probe).length);
    const read = eventColumnsRead(copy.plan, columns);
    await createTableFromColumns(copy.connection, '__guard_changed', [
      { name: '__j', type: 'integer', values: changed },
      ...read.map((name) => columnOfRows(changedRows, name, types[copy.names.indexOf(name)]!)),
    ]);
    const cast = (name: string) => {
      const type = types[copy.names.indexOf(name)]!;
      return type === copy.types.get(name)
        ? quote(name)
        : `CAST(${quote(name)} AS ${type.toUpperCase()}) AS ${quote(name)}`;
    };
    const list = read.map(quote).join(', ');
    const select = `SELECT CAST(row_number() OVER (ORDER BY __j) - 1 AS INTEGER) AS __row${read.length ? `, ${list}` : ''}
      FROM (SELECT __j${read.map((name) => `, ${cast(name)}`).join('')} FROM memory.main.__guard_events WHERE __available < ${probe}
        UNION ALL SELECT __j${read.length ? `, ${list}` : ''} FROM memory.main.__guard_changed)
      ORDER BY __row`;
    return { source: { select, columns }, kept };
  }

  /** The column names of the kept rows in order of first appearance (`columnNamesOfRows`), `count` of them. */
  #namesInOrder(kept: readonly number[], count: number): string[] {
    const names: string[] = [];
    const seen = new Set<string>();
    for (const j of kept) {
      if (names.length === count) break;
      for (const name in this.#rows[j]!) {
        if (!seen.has(name)) {
          seen.add(name);
          names.push(name);
        }
      }
    }
    return names;
  }
}

/**
 * Row with different outcomes in `columns`: numbers reflected, booleans flipped, text changed.
 */
export function perturb(row: Record<string, unknown>, columns: readonly string[]): Record<string, unknown> {
  const out = { ...row };
  columns.forEach((column, k) => {
    const value = row[column];
    // Reflect numbers with a slightly different pivot per column, so that every comparison
    // between two columns (home vs away score) flips, draws included.
    if (typeof value === 'number') out[column] = 1000 + 0.5 * k - value;
    else if (typeof value === 'boolean') out[column] = !value;
    else if (typeof value === 'string') {
      const lower = value.toLowerCase();
      out[column] = lower === 'true' ? 'FALSE' : lower === 'false' ? 'TRUE' : `${value} (counterfactual)`;
    }
  });
  return out;
}
