import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { MlfolioError } from '../../../portfolio/errors.ts';
import { pathExists } from '../../../portfolio/files.ts';
import { hashValue, sha256 } from '../../../portfolio/hash.ts';
import type { Workspace } from '../../../portfolio/workspace.ts';
import { SnapshotStore } from '../../snapshot-store/snapshot-store.ts';
import type { TableSource, TableSourceContext } from '../../table-source.ts';
import type { TableSourceSpecOf } from '../../table-source-specs.ts';

/**
 * A CSV file as a project's table: from the snapshot store when `mlfolio scrape` collected its URL,
 * else from the offline copy in the repository, else fetched live through the polite fetcher. The
 * file has no schema of its own: the project declares its columns.
 */
export const csvTableSource: TableSource<'csv'> = {
  kind: 'csv',
  async collect(spec, context) {
    // The parser and decoder load here, not with the registry: fingerprints need neither.
    const [{ parse }, { decodeBody }] = await Promise.all([
      import('csv-parse/sync'),
      import('../../extract/decode.ts'),
    ]);
    const { body, origin, transport } = await readCsvBytes(spec, context);
    const text = decodeBody(body, 'text/csv').text;
    const rows = parse(text, {
      bom: true,
      columns: true,
      skip_empty_lines: true,
      relax_column_count: true,
    });
    return {
      rows: rows as Record<string, unknown>[],
      excluded: [],
      origin,
      location: (i) => `${origin[0]} line ${i + 2}`,
      provenance: {
        source: `csv:${context.table}`,
        transport,
        origin,
        licence: spec.licence,
        attribution: spec.attribution,
      },
    };
  },
  async fingerprint(spec, context) {
    const store = new SnapshotStore(join(context.workspace.stateDir, 'snapshots'));
    let file: string | null = null;
    if (spec.file) {
      try {
        file = sha256(await readFile(await resolveDataFile(context.workspace, spec.file)));
      } catch {
        file = 'missing';
      }
    }
    return hashValue({
      file,
      stored: spec.url ? ((await store.entry(spec.url))?.sha256 ?? null) : null,
    });
  },
};

/**
 * The bytes of a CSV source: a copy collected into the snapshot store by `mlfolio scrape` wins;
 * else the offline copy shipped in the repository; else the URL, fetched politely now.
 */
async function readCsvBytes(
  spec: TableSourceSpecOf<'csv'>,
  context: TableSourceContext,
): Promise<{ body: Buffer; origin: string[]; transport: string }> {
  if (spec.url) {
    const { createFetcher } = await import('../../create-fetcher.ts');
    const fetcher = createFetcher({
      cache: spec.file ? 'offline' : 'prefer-store',
      storeDir: join(context.workspace.stateDir, 'snapshots'),
    });
    const stored = await fetcher.store?.get(spec.url);
    if (stored) return { body: stored.body, origin: [spec.url], transport: 'snapshot store' };
    if (!spec.file) {
      const result = await fetcher.fetch(spec.url);
      return { body: result.body, origin: [spec.url], transport: 'live' };
    }
  }
  if (!spec.file) {
    throw new MlfolioError({
      code: 'E_PROJECT_FILE_INVALID',
      message: `${context.specFile}: data.tables.${context.table}.source needs a url, a file, or both.`,
      hint: 'Give the URL the data comes from; a file in the repository can be its offline copy.',
    });
  }
  const path = await resolveDataFile(context.workspace, spec.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_DATA_FILE_MISSING',
        message: `${context.specFile}: data.tables.${context.table}.source.file "${spec.file}" does not exist (${path}).`,
        hint: 'Paths are relative to the portfolio root (or to mlfolio’s own folder, for the datasets it ships).',
      },
      { cause: error },
    );
  }
  const body = path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  const origin = spec.url
    ? [spec.url, `offline copy ${spec.file} (sha256 ${sha256(body).slice(0, 12)})`]
    : [spec.file];
  return { body, origin, transport: spec.url ? 'offline copy' : 'file' };
}

const toolRoot = resolve(import.meta.dirname, '..', '..', '..');

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
