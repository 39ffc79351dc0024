import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MlfolioError } from '../../../portfolio/errors.ts';
import { hashValue, sha256 } from '../../../portfolio/hash.ts';
import type { ColumnType } from '../../../portfolio/project-file/data-spec.ts';
import type { ExcludedRecord, Provenance } from '../../source.ts';
import { loadSourceFile, type SourceFile, seasonsOf } from '../../source-file.ts';
import type { TableSource } from '../../table-source.ts';
import { assertNoPlaceholders } from './placeholders.ts';

/**
 * Pages scraped with `mlfolio scrape` as a project's table: the project names a scrape source file;
 * the rows are the dataset the scrape collected (live, or replayed from the snapshot store) into
 * `.mlfolio/data/<slug>/`, with the column types the source file declares.
 */
export const htmlStatsTableSource: TableSource<'html-stats-table'> = {
  kind: 'html-stats-table',
  async collect(spec, context) {
    const sourceFile = join(dirname(context.specFile), spec.file);
    const scrape = await loadSourceFile(sourceFile);
    if (scrape.kind !== 'html-stats-table') {
      throw new MlfolioError({
        code: 'E_SOURCE_FILE_INVALID',
        message: `${context.specFile}: data.tables.${context.table}.source.file is ${sourceFile}, a "${scrape.kind}" source; an html-stats-table table reads an html-stats-table source file.`,
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
  },
  async fingerprint(spec, context) {
    // The source file declares the column types the rows are read with.
    return hashValue({
      dataset: await fileHash(join(context.workspace.stateDir, 'data', context.slug, 'dataset.json')),
      source: await fileHash(join(context.workspace.projectsDir, context.slug, spec.file)),
    });
  },
};

async function fileHash(path: string): Promise<string> {
  try {
    return sha256(await readFile(path));
  } catch {
    return 'missing';
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
