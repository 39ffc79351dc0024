import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathExists } from '../../portfolio/files.ts';
import { hashValue, sha256 } from '../../portfolio/hash.ts';
import type { TableSpec } from '../../portfolio/project-file/data-spec.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { SnapshotStore } from '../../scrapers/snapshot-store/snapshot-store.ts';

// Kept apart from collect-table.ts, which loads every source's parser and DuckDB: an unchanged
// rerun fingerprints its tables without paying for the code that collects them.

const toolRoot = resolve(import.meta.dirname, '..', '..');

/**
 * A data file named in a project: relative to the portfolio root, or, when the portfolio has no
 * such file, to mlfolio's own folder, which ships the open example datasets (`content/data/`), so a
 * portfolio kept elsewhere (`MLFOLIO_ROOT`) runs the templates too.
 */
export async function resolveDataFile(workspace: Workspace, file: string): Promise<string> {
  const own = resolve(workspace.root, file);
  if (await pathExists(own)) return own;
  const shipped = resolve(toolRoot, file);
  return (await pathExists(shipped)) ? shipped : own;
}

/**
 * What a table's collected rows depend on, cheaply: the bytes of its offline copy, the snapshot
 * store's entry for its URL (a later `mlfolio scrape` changes it), the scraped dataset and its source file, or the
 * bundled package's fingerprint. Equal fingerprints mean the collect stage can be reused.
 */
export async function tableFingerprint(
  workspace: Workspace,
  slug: string,
  table: TableSpec,
): Promise<string> {
  const source = table.source;
  const fileHash = async (path: string) => {
    try {
      return sha256(await readFile(path));
    } catch {
      return 'missing';
    }
  };
  switch (source.kind) {
    case 'openfootball': {
      if (source.transport === 'live') return new Date().toISOString().slice(0, 10);
      const { bundledDatasetFingerprint } = await import(
        '../../scrapers/sources/openfootball/offline-transport.ts'
      );
      return bundledDatasetFingerprint();
    }
    case 'csv': {
      const store = new SnapshotStore(join(workspace.stateDir, 'snapshots'));
      return hashValue({
        file: source.file ? await fileHash(await resolveDataFile(workspace, source.file)) : null,
        stored: source.url ? ((await store.entry(source.url))?.sha256 ?? null) : null,
      });
    }
    case 'html-stats-table':
      // The source file declares the column types the rows are read with.
      return hashValue({
        dataset: await fileHash(join(workspace.stateDir, 'data', slug, 'dataset.json')),
        source: await fileHash(join(workspace.projectsDir, slug, source.file)),
      });
  }
}
