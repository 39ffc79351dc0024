import { z } from 'zod';

/**
 * The kinds of source a version 2 project's table can read, each with the settings its project
 * file entry takes (`data.tables.<name>.source`). The project-file schema is the union of these;
 * `table-sources.ts` pairs each kind with the code that collects it, and fails to compile when a
 * kind here has no collector. Kept apart from the collectors, so that reading a project file loads
 * no fetcher, CSV parser or bundled dataset.
 */
export const openFootballSourceSpec = z.strictObject({
  kind: z.literal('openfootball'),
  /** `offline` reads the OpenFootball subset bundled in the vega-datasets package; `live` fetches. */
  transport: z.enum(['offline', 'live']).default('offline'),
  seasons: z.array(z.string().regex(/^\d{4}-\d{2}$/)).optional(),
  leagues: z.array(z.string()).optional(),
  baseUrl: z.url().optional(),
});

export const csvSourceSpec = z.strictObject({
  /** A CSV file at a URL (fetched politely into the snapshot store) or a path in the repository. */
  kind: z.literal('csv'),
  url: z.url().optional(),
  /** A path relative to the portfolio root; with `url`, the offline copy of that URL (may be gzipped). */
  file: z.string().optional(),
  licence: z.string().min(1),
  attribution: z.string().min(1),
});

export const htmlStatsTableSourceSpec = z.strictObject({
  /** A `mlfolio scrape` source file (kind html-stats-table), relative to the project folder. */
  kind: z.literal('html-stats-table'),
  file: z.string().default('source.yaml'),
});

/** Every table source's settings, one per kind. */
export const tableSourceSpecs = [openFootballSourceSpec, csvSourceSpec, htmlStatsTableSourceSpec] as const;

export type TableSourceSpec = z.output<(typeof tableSourceSpecs)[number]>;
export type TableSourceKind = TableSourceSpec['kind'];
/** The settings of one kind of source. */
export type TableSourceSpecOf<K extends TableSourceKind> = Extract<TableSourceSpec, { kind: K }>;
