import { z } from 'zod';
import { tableSourceSpecs } from '../../scrapers/table-source-specs.ts';

/**
 * Where a project's tables come from: one of the registered sources (`scrapers/table-source-specs.ts`,
 * collected through `scrapers/table-sources.ts`). Every source goes through the scrapers (the polite
 * fetcher and the snapshot store) except data bundled in an npm package; an open dataset may name a
 * copy shipped in the repository, which seeds the snapshot store so the project runs offline.
 */
export const tableSourceSchema = z.discriminatedUnion('kind', tableSourceSpecs);
export type TableSource = z.output<typeof tableSourceSchema>;

export const columnTypes = ['number', 'integer', 'string', 'boolean', 'date'] as const;
export type ColumnType = (typeof columnTypes)[number];

/**
 * A column filled from a labelling task of the project: each row gets the label of the item whose
 * id equals the row's `key` value; a row whose item has no label gets `default` (and is counted).
 */
export const labelJoinSchema = z.strictObject({
  /** A task of the project's labelling section. */
  task: z.string().min(1),
  /** The row column holding the item id. */
  key: z.string().min(1),
  /** The new column. */
  column: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a column name: letters, digits and _'),
  /** The class a row gets when its item has no label (one of the task's classes). */
  default: z.string().min(1),
  /** Models refitted with and without the column to measure what the labels were worth (default: the baselines). */
  effectOn: z.array(z.string().min(1)).min(1).optional(),
  /**
   * Also measure the effect pooled over the test period and this many rolling-origin folds before
   * it (`all`: every season with the backtest's `minTrainSeasons` before it), each fold's models
   * fitted on its own past: more held-out events, a narrower interval. Default: the test period only.
   */
  effectFolds: z.union([z.number().int().positive(), z.literal('all')]).optional(),
  /**
   * Classes that also get an indicator column, `<column>_<class>` (the class's characters other than
   * letters, digits and _ written as _): 1 where the row's label is that class, else 0, so a feature
   * view (`kind: column`) can hand a model the labelled category.
   */
  indicators: z.array(z.string().min(1)).min(1).optional(),
});
export type LabelJoin = z.output<typeof labelJoinSchema>;

/** The indicator column a label join adds for `label` (see `indicators`). */
export function indicatorColumn(join: Pick<LabelJoin, 'column'>, label: string): string {
  return `${join.column}_${label.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

export const tableSpecSchema = z.strictObject({
  source: tableSourceSchema,
  /** Columns kept, with their types; rows whose value does not parse are left out with the reason. */
  columns: z.record(z.string(), z.enum(columnTypes)).optional(),
  /** Columns derived per row by a SQL expression over the row's columns (DuckDB dialect). */
  derive: z.record(z.string(), z.string().min(1)).default({}),
  /** A SQL condition rows must meet (e.g. `yearID >= 1961`); rows that fail are counted, not silently dropped. */
  where: z.string().min(1).optional(),
  /** The event time: a date column, or a season column (a year, or `2016-17`). */
  time: z.strictObject({
    column: z.string().min(1),
    kind: z.enum(['date', 'season']),
  }),
  /**
   * For date-timed tables, the column naming each row's season (grouping for splits and
   * backtests); by default the calendar year.
   */
  season: z.string().optional(),
  /** A column with the time each row was recorded; a row recorded after its event is not used as known before it. */
  ingestedAt: z.string().optional(),
  /** Columns filled from labelling tasks' labels, joined on an item key (see "Labelling" in the README). */
  labels: z.array(labelJoinSchema).default([]),
  /** Columns that name the row (an event id); by default the row's time and entity keys. */
  id: z.array(z.string()).optional(),
});
export type TableSpec = z.output<typeof tableSpecSchema>;
