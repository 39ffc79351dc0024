import type { TableSpec } from '../../portfolio/project-file/data-spec.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { sourceFingerprint } from '../../scrapers/table-sources.ts';

// Kept apart from collect-table.ts, which loads DuckDB: an unchanged rerun fingerprints its tables
// without paying for the code that collects them (the registry loads only the sources it needs).

/**
 * What a table's collected rows depend on, cheaply, as its source says (see
 * `TableSource.fingerprint`). Equal fingerprints mean the collect stage can be reused.
 */
export function tableFingerprint(
  workspace: Workspace,
  slug: string,
  table: TableSpec,
  tableName: string,
  specFile: string,
): Promise<string> {
  return sourceFingerprint(table.source, { workspace, slug, table: tableName, specFile });
}
