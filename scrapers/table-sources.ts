import { MlfolioError } from '../portfolio/errors.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import type { SourceRows, TableSource, TableSourceContext } from './table-source.ts';
import type { TableSourceKind, TableSourceSpec } from './table-source-specs.ts';

/**
 * The source registry: every kind a project file may name (`table-source-specs.ts`) with the code
 * that collects it. A kind without a collector, or a collector without a kind, does not compile.
 * Each source is loaded when a table of its kind is first read: an unchanged rerun fingerprints
 * its tables without loading every source's parsers and fetcher.
 */
const registry: { readonly [K in TableSourceKind]: () => Promise<TableSource<K>> } = {
  openfootball: async () => (await import('./sources/openfootball/table-source.ts')).openFootballTableSource,
  csv: async () => (await import('./sources/csv/table-source.ts')).csvTableSource,
  'html-stats-table': async () =>
    (await import('./sources/html-stats-table/table-source.ts')).htmlStatsTableSource,
};

/** The registered kinds, sorted. */
export const tableSourceKinds = (Object.keys(registry) as TableSourceKind[]).sort();

/**
 * The source of a kind. Throws `E_SOURCE_KIND_UNKNOWN`, naming the registered kinds, for a kind
 * nobody registered (a project file validated by its schema never has one).
 */
export async function tableSourceFor(
  kind: string,
  where: { specFile: string; table: string },
): Promise<TableSource> {
  if (!Object.hasOwn(registry, kind)) {
    throw new MlfolioError({
      code: 'E_SOURCE_KIND_UNKNOWN',
      message: `${where.specFile}: data.tables.${where.table}.source.kind is "${kind}", which no source is registered for (registered: ${tableSourceKinds.join(', ')}).`,
      hint: `${didYouMean(kind, tableSourceKinds)} A new kind of source is registered in scrapers/table-sources.ts.`,
    });
  }
  return (await registry[kind as TableSourceKind]()) as TableSource;
}

/** Collects a table's rows through the source its settings name. */
export async function collectFromSource(
  spec: TableSourceSpec,
  context: TableSourceContext,
): Promise<SourceRows> {
  // The registry pairs each kind with its own source, so the spec fits the one it finds.
  return (await tableSourceFor(spec.kind, context)).collect(spec as never, context);
}

/** What the table's collected rows depend on (see `TableSource.fingerprint`). */
export async function sourceFingerprint(
  spec: TableSourceSpec,
  context: Omit<TableSourceContext, 'now'>,
): Promise<string> {
  return (await tableSourceFor(spec.kind, context)).fingerprint(spec as never, context);
}
