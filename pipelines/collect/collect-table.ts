import { MlfolioError } from '../../portfolio/errors.ts';
import { hashValue } from '../../portfolio/hash.ts';
import type { ColumnType, TableSpec } from '../../portfolio/project-file/data-spec.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import type { ExcludedRecord, Provenance } from '../../scrapers/source.ts';
import { collectFromSource } from '../../scrapers/table-sources.ts';
import { deriveAndFilter } from './table-sql.ts';
import { type Row, typeRows } from './typed-rows.ts';

/** One collected table: typed rows, every row left out with its reason, and where it came from. */
export interface CollectedTable {
  name: string;
  columns: Record<string, ColumnType>;
  rows: Row[];
  excluded: ExcludedRecord[];
  /** Rows the table's `where` condition keeps out of the project's scope (not data gaps). */
  scope?: { where: string; rowsOutside: number };
  provenance: Provenance;
}

export interface CollectContext {
  workspace: Workspace;
  slug: string;
  specFile: string;
  now?: () => Date;
}

/**
 * Collects one declared table: reads its source, keeps the declared columns with their types,
 * adds derived columns and applies the row condition. Rows that do not parse or that the condition
 * drops are reported with the reason, never silently lost.
 */
export async function collectTable(
  name: string,
  spec: TableSpec,
  context: CollectContext,
): Promise<CollectedTable> {
  const field = `data.tables.${name}`;
  const now = context.now ?? (() => new Date());
  const raw = await collectFromSource(spec.source, { ...context, table: name, now });
  const columns = spec.columns ?? raw.columns;
  if (!columns) {
    throw new MlfolioError({
      code: 'E_PROJECT_COLUMNS_MISSING',
      message: `${context.specFile}: ${field}.columns is missing; a ${spec.source.kind} table needs its columns and their types declared.`,
      hint: `Found columns: ${Object.keys(raw.rows[0] ?? {}).join(', ')}. Declare the ones you use, e.g. columns: { yearID: integer, teamID: string, W: integer }.`,
    });
  }
  const typed = typeRows(raw.rows, columns, raw.location);
  if (typed.missingColumns.length) {
    const found = Object.keys(raw.rows[0] ?? {});
    throw new MlfolioError({
      code: 'E_PROJECT_COLUMN_UNKNOWN',
      message: `${context.specFile}: ${field}.columns names ${typed.missingColumns.map((c) => `"${c}"`).join(', ')}, which ${raw.origin.join(', ')} does not have.`,
      hint: `Columns in the data: ${found.join(', ')}.`,
    });
  }
  const derived = await deriveAndFilter(typed.rows, columns, {
    derive: spec.derive,
    where: spec.where,
    field,
    file: context.specFile,
  });
  const excluded = [...raw.excluded, ...typed.excluded];
  const rows = derived.rows;
  if (rows.length === 0) {
    throw new MlfolioError({
      code: 'E_TABLE_EMPTY',
      message: `${context.specFile}: table "${name}" has no usable rows (${raw.rows.length} read, ${excluded.length} reason(s) to leave rows out${derived.filteredOut ? `, ${derived.filteredOut} outside ${field}.where` : ''}).`,
      hint: excluded[0]
        ? `First reason: ${excluded[0].location}: ${excluded[0].reason}.`
        : derived.filteredOut
          ? `Loosen ${field}.where (${JSON.stringify(spec.where)}): it keeps none of the rows.`
          : 'Check the source.',
    });
  }
  const allColumns = { ...columns, ...derived.derivedTypes };
  for (const column of [spec.time.column, spec.season, spec.ingestedAt]) {
    if (column && !(column in allColumns)) {
      throw new MlfolioError({
        code: 'E_PROJECT_COLUMN_UNKNOWN',
        message: `${context.specFile}: ${field} names the column "${column}", which the table does not have.`,
        hint: `Columns: ${Object.keys(allColumns).join(', ')}.`,
      });
    }
  }
  const times = rows.map((row) => String(row[spec.time.column])).sort();
  return {
    name,
    columns: allColumns,
    rows,
    excluded,
    ...(spec.where ? { scope: { where: spec.where, rowsOutside: derived.filteredOut } } : {}),
    provenance: {
      ...raw.provenance,
      collectedAt: now().toISOString(),
      rows: rows.length,
      excludedRows: excluded.length,
      sha256: hashValue(rows),
      ...(times.length ? { firstDate: times[0]!, lastDate: times.at(-1)! } : {}),
    },
  };
}
