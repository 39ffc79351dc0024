/** A point-in-time correct training set, columnar: row `i` of every array is one event. */
export interface TrainingSet {
  table: string;
  timeKind: 'date' | 'season';
  /** Season labels by ordinal (empty without seasons). */
  seasons: string[];
  size: number;
  /** The event's position in the input. Rows are sorted by time, then input position. */
  inputRow: Int32Array;
  ids: string[];
  /** Time ordinals: days since 1970-01-01 for dates, the season's rank for seasons. */
  times: Int32Array;
  /** The ordinal from which the event's row is known (its time, or its later ingestion time). */
  available: Int32Array;
  seasonIndex: Int32Array;
  /** Entity key per role. */
  entities: Record<string, string[]>;
  /** Output columns in declaration order. */
  columns: string[];
  /** The view each output column comes from. */
  viewOf: Record<string, string>;
  /** Feature values; NaN where a feature has no value (no history and no declared default). */
  values: Record<string, Float64Array>;
  /** Time ordinal of the latest data each value read; NaN when it read none. */
  asOf: Record<string, Float64Array>;
}

/** A time ordinal as the user wrote it: `YYYY-MM-DD`, or the season label. */
export function timeLabel(set: Pick<TrainingSet, 'timeKind' | 'seasons'>, ordinal: number): string | null {
  if (!Number.isFinite(ordinal)) return null;
  if (set.timeKind === 'season') return set.seasons[ordinal] ?? String(ordinal);
  return new Date(ordinal * 86_400_000).toISOString().slice(0, 10);
}

/** The ordinal of a time label (the inverse of `timeLabel`); NaN when it does not parse. */
export function timeOrdinal(set: Pick<TrainingSet, 'timeKind' | 'seasons'>, label: string): number {
  if (set.timeKind === 'season') {
    const index = set.seasons.indexOf(label);
    return index >= 0 ? index : NaN;
  }
  const ms = Date.parse(label.length === 10 ? `${label}T00:00:00Z` : label);
  return Number.isNaN(ms) ? NaN : Math.floor(ms / 86_400_000);
}

export interface TrainingRow {
  id: string;
  time: string;
  entities: Record<string, string>;
  values: Record<string, number | null>;
  asOf: Record<string, string | null>;
}

/** Row `i` as plain objects (for tests, reports and small sets; use the columns for large ones). */
export function trainingRow(set: TrainingSet, i: number): TrainingRow {
  const values: Record<string, number | null> = {};
  const asOf: Record<string, string | null> = {};
  for (const column of set.columns) {
    const value = set.values[column]![i]!;
    values[column] = Number.isNaN(value) ? null : value;
    asOf[column] = timeLabel(set, set.asOf[column]![i]!);
  }
  return {
    id: set.ids[i]!,
    time: timeLabel(set, set.times[i]!)!,
    entities: Object.fromEntries(Object.entries(set.entities).map(([role, keys]) => [role, keys[i]!])),
    values,
    asOf,
  };
}
