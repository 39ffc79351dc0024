import type { ColumnType } from '../portfolio/project-file/data-spec.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import type { ScrapePlan } from './scrape-plan.ts';
import type { ExcludedRecord, Provenance } from './source.ts';
import type { TableSourceKind, TableSourceSpecOf } from './table-source-specs.ts';

/** Where a table is being collected: the portfolio, the project and its file (named in errors). */
export interface TableSourceContext {
  workspace: Workspace;
  slug: string;
  /** The project file, as errors name it. */
  specFile: string;
  /** The table's name in the project file (`data.tables.<table>`). */
  table: string;
  now: () => Date;
}

/** A source's rows before the engine types them against the table's columns. */
export interface SourceRows {
  rows: Record<string, unknown>[];
  /** Records the source read but left out, each with the reason. */
  excluded: ExcludedRecord[];
  /**
   * The column types the source knows itself (a fixed record schema, or the types a scrape source
   * file declares); undefined when the project must declare them.
   */
  columns?: Record<string, ColumnType>;
  /** What was read (URLs, files, package versions), named in errors. */
  origin: string[];
  /** Where the row at `index` came from, for the reasons rows are left out. */
  location: (index: number) => string;
  provenance: Omit<Provenance, 'collectedAt' | 'rows' | 'excludedRows' | 'sha256'>;
}

/**
 * One kind of table source: how it collects — offline (a bundled or shipped copy, or the snapshot
 * store) or live through the polite fetcher, as its settings say — and what its collected rows
 * depend on. The engine finds it by the project's `source.kind` (`tableSourceFor`) and knows
 * nothing else about it.
 */
export interface TableSource<K extends TableSourceKind = TableSourceKind> {
  kind: K;
  /** Reads the rows, with the source's own column types when it has them. */
  collect(spec: TableSourceSpecOf<K>, context: TableSourceContext): Promise<SourceRows>;
  /**
   * A cheap fingerprint of what `collect` would read (file hashes, the snapshot store's entry, a
   * package's version, the date for a live fetch): equal fingerprints let the collect stage be reused.
   */
  fingerprint(spec: TableSourceSpecOf<K>, context: Omit<TableSourceContext, 'now'>): Promise<string>;
  /**
   * The crawl `mlfolio scrape <project>` runs for a table of this source, named `name`; undefined
   * when these settings fetch nothing (an offline copy). A source without it is never crawled by
   * `scrape`: `collect` and `run` fetch what it needs.
   */
  scrapePlan?(spec: TableSourceSpecOf<K>, name: string): Promise<ScrapePlan<unknown> | undefined>;
}
