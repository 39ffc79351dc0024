import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { MlfolioError } from '../../portfolio/errors.ts';
import { hashValue, sha256 } from '../../portfolio/hash.ts';
import type { ColumnType, TableSpec } from '../../portfolio/project-file/data-spec.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { createFetcher } from '../../scrapers/create-fetcher.ts';
import { decodeBody } from '../../scrapers/extract/decode.ts';
import type { ExcludedRecord, Provenance } from '../../scrapers/source.ts';
import { loadSourceFile, type SourceFile, seasonsOf } from '../../scrapers/source-file.ts';
import { assertNoPlaceholders } from '../../scrapers/sources/html-stats-table/placeholders.ts';
import { collectOpenFootball, matchRecordColumns } from '../../scrapers/sources/openfootball/index.ts';
import { resolveDataFile } from './table-fingerprint.ts';
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
  const raw = await readSource(name, spec, context, now);
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

interface RawTable {
  rows: Record<string, unknown>[];
  excluded: ExcludedRecord[];
  columns?: Record<string, ColumnType>;
  origin: string[];
  location: (index: number) => string;
  provenance: Omit<Provenance, 'collectedAt' | 'rows' | 'excludedRows' | 'sha256'>;
}

async function readSource(
  name: string,
  spec: TableSpec,
  context: CollectContext,
  now: () => Date,
): Promise<RawTable> {
  const source = spec.source;
  switch (source.kind) {
    case 'openfootball': {
      const dataset = await collectOpenFootball(source, { now });
      return {
        rows: dataset.records as unknown as Record<string, unknown>[],
        excluded: dataset.excluded,
        columns: { ...matchRecordColumns },
        origin: dataset.provenance.origin,
        location: (i) => `${dataset.provenance.origin.join(', ')} record ${i + 1}`,
        provenance: {
          source: 'openfootball',
          transport: source.transport,
          origin: dataset.provenance.origin,
          licence: dataset.provenance.licence,
          attribution: dataset.provenance.attribution,
        },
      };
    }
    case 'csv': {
      const { body, origin, transport } = await readCsvBytes(name, source, context);
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
          source: `csv:${name}`,
          transport,
          origin,
          licence: source.licence,
          attribution: source.attribution,
        },
      };
    }
    case 'html-stats-table': {
      const sourceFile = join(dirname(context.specFile), source.file);
      const scrape = await loadSourceFile(sourceFile);
      if (scrape.kind !== 'html-stats-table') {
        throw new MlfolioError({
          code: 'E_SOURCE_FILE_INVALID',
          message: `${context.specFile}: data.tables.${name}.source.file is ${sourceFile}, a "${scrape.kind}" source; an html-stats-table table reads an html-stats-table source file.`,
          hint: 'Set `kind: html-stats-table` in the source file and list its pages (`pages` or `urls`).',
        });
      }
      assertNoPlaceholders(scrape, sourceFile);
      const file = join(context.workspace.stateDir, 'data', context.slug, 'dataset.json');
      let dataset: { records: Record<string, unknown>[]; excluded: ExcludedRecord[]; provenance: Provenance };
      try {
        dataset = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new MlfolioError(
          {
            code: 'E_DATA_NOT_COLLECTED',
            message: `Project "${context.slug}" reads scraped pages (${sourceFile}), but ${file} does not exist yet.`,
            hint: `Collect them first: mlfolio scrape ${context.slug}`,
            exitCode: 4,
          },
          { cause: error },
        );
      }
      return {
        rows: dataset.records,
        excluded: dataset.excluded,
        columns: scrapedColumnTypes(scrape),
        origin: dataset.provenance.origin,
        location: (i) => String(dataset.records[i]?.page ?? `${file} record ${i + 1}`),
        provenance: {
          source: dataset.provenance.source,
          transport: 'scraped',
          origin: dataset.provenance.origin,
          licence: dataset.provenance.licence,
          attribution: dataset.provenance.attribution,
        },
      };
    }
  }
}

/**
 * The column types of a scraped table, as its source file declares them (text is a string), plus
 * the page each row came from and, for one page per season, the season (a number when every
 * season is a year). A project need not declare them again.
 */
function scrapedColumnTypes(
  source: Extract<SourceFile, { kind: 'html-stats-table' }>,
): Record<string, ColumnType> {
  const columns: Record<string, ColumnType> = {};
  for (const [field, column] of Object.entries(source.table.columns)) {
    const type = typeof column === 'string' ? 'text' : column.type;
    columns[field] = type === 'text' ? 'string' : type;
  }
  columns.page = 'string';
  if (source.pages) {
    columns.season = seasonsOf(source.pages).every((season) => /^\d{4}$/.test(season)) ? 'integer' : 'string';
  }
  return columns;
}

/**
 * The bytes of a CSV source: a copy collected into the snapshot store by `mlfolio scrape` wins;
 * else the offline copy shipped in the repository; else the URL, fetched politely now.
 */
async function readCsvBytes(
  name: string,
  source: Extract<TableSpec['source'], { kind: 'csv' }>,
  context: CollectContext,
): Promise<{ body: Buffer; origin: string[]; transport: string }> {
  if (source.url) {
    const fetcher = createFetcher({
      cache: source.file ? 'offline' : 'prefer-store',
      storeDir: join(context.workspace.stateDir, 'snapshots'),
    });
    const stored = await fetcher.store?.get(source.url);
    if (stored) return { body: stored.body, origin: [source.url], transport: 'snapshot store' };
    if (!source.file) {
      const result = await fetcher.fetch(source.url);
      return { body: result.body, origin: [source.url], transport: 'live' };
    }
  }
  if (!source.file) {
    throw new MlfolioError({
      code: 'E_PROJECT_FILE_INVALID',
      message: `${context.specFile}: data.tables.${name}.source needs a url, a file, or both.`,
      hint: 'Give the URL the data comes from; a file in the repository can be its offline copy.',
    });
  }
  const path = await resolveDataFile(context.workspace, source.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_DATA_FILE_MISSING',
        message: `${context.specFile}: data.tables.${name}.source.file "${source.file}" does not exist (${path}).`,
        hint: 'Paths are relative to the portfolio root (or to mlfolio’s own folder, for the datasets it ships).',
      },
      { cause: error },
    );
  }
  const body = path.endsWith('.gz') ? gunzipSync(bytes) : bytes;
  const origin = source.url
    ? [source.url, `offline copy ${source.file} (sha256 ${sha256(body).slice(0, 12)})`]
    : [source.file];
  return { body, origin, transport: source.url ? 'offline copy' : 'file' };
}
