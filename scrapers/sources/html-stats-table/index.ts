import { hashValue } from '../../../portfolio/hash.ts';
import { decodeBody } from '../../extract/decode.ts';
import { findTables } from '../../extract/find-tables.ts';
import { extractMatchScore } from '../../extract/scorebox.ts';
import { type ExtractedRecord, extractTable, type TableSpec } from '../../extract/table-spec.ts';
import { isScrapeError, ScrapeError } from '../../scrape-error.ts';
import type { ScrapePlan } from '../../scrape-plan.ts';
import type { ExcludedRecord } from '../../source.ts';

export interface HtmlStatsTableSpec {
  name: string;
  urls: readonly string[];
  /** The season of each URL, in the same order, for a source of one page per season. */
  seasons?: readonly string[];
  table: TableSpec;
  licence?: string;
  attribution?: string;
  /** The source file the spec was read from, named in errors. */
  file?: string;
}

/** A record from a stats table, with the page it came from (and that page's season, if declared). */
export type StatsRow = ExtractedRecord & { page: string; season?: string };

/**
 * A generic source for pages that publish a stats table (sports-reference and friends): one
 * table per page, located by any of its known ids (visible or inside an HTML comment), every row
 * checked against the declared columns. A page whose table is missing or changed fails the run as
 * `layout-changed`; a match page that says the match was not played is excluded as "no data".
 * Footer rows (totals, league averages) are never records: each is listed among the rows left out.
 * With `seasons`, every record carries its page's season, and errors name the season and the file.
 */
export function htmlStatsTablePlan(spec: HtmlStatsTableSpec): ScrapePlan<StatsRow> {
  const seasonOf = new Map(spec.seasons?.map((season, i) => [spec.urls[i]!, season]) ?? []);
  return {
    name: spec.name,
    seeds: spec.urls,
    build(pages, collectedAt) {
      const records: StatsRow[] = [];
      const excluded: ExcludedRecord[] = [];
      for (const page of pages) {
        const url = page.entry.url;
        const season = seasonOf.get(url);
        const html = decodeBody(page.body, page.entry.headers['content-type']).text;
        try {
          const result = extractTable(html, page.entry.finalUrl, spec.table, findTables(html));
          for (const record of result.records) {
            records.push(season === undefined ? { ...record, page: url } : { ...record, page: url, season });
          }
          excluded.push(...result.excluded);
          for (const footer of result.footer) {
            excluded.push({
              location: footer.location,
              reason: `a footer row ("${footer.text.slice(0, 60)}"): a total or an average, not a row of data`,
              record: null,
            });
          }
        } catch (error) {
          const noData =
            isScrapeError(error) && error.kind === 'layout-changed' ? noDataReason(html, url) : undefined;
          if (noData) {
            excluded.push({ location: url, reason: noData, record: null });
            continue;
          }
          throw season === undefined ? error : inSeason(error, season, url, spec);
        }
      }
      return {
        records,
        excluded,
        provenance: {
          source: spec.name,
          transport: 'live',
          origin: pages.map((page) => page.entry.url),
          licence: spec.licence ?? 'see the site’s terms of use',
          attribution: spec.attribution ?? new URL(spec.urls[0]!).host,
          collectedAt: collectedAt.toISOString(),
          rows: records.length,
          excludedRows: excluded.length,
          sha256: hashValue(records),
        },
      };
    },
  };
}

/**
 * A page's failure restated for the season it holds: which season, which file and field to fix.
 * A season whose table has no rows gets its own code: nothing of it can be forecast or learnt.
 */
function inSeason(error: unknown, season: string, url: string, spec: HtmlStatsTableSpec): unknown {
  if (!isScrapeError(error) || error.kind !== 'layout-changed') return error;
  const file = spec.file ?? 'the source file';
  const empty = error.code === 'E_TABLE_TOO_FEW_ROWS';
  return new ScrapeError(
    'layout-changed',
    {
      code: empty ? 'E_SEASON_EMPTY' : error.code,
      url,
      message: `season ${season} (${file}, pages.seasons): ${error.message}`,
      hint: empty
        ? `If season ${season} really has no rows (not played, not started), leave it out of pages.seasons in ${file}; otherwise the page changed. ${error.hint ?? ''}`.trim()
        : `Fix table.ids or table.columns in ${file}. ${error.hint ?? ''}`.trim(),
    },
    { cause: error },
  );
}

/** Why a page without its table has nothing to give (a cancelled match), or undefined. */
function noDataReason(html: string, url: string): string | undefined {
  if (!html.includes('scorebox')) return undefined;
  try {
    extractMatchScore(html, url);
    return undefined;
  } catch (error) {
    return isScrapeError(error) && error.kind === 'no-data' ? `no data: ${error.message}` : undefined;
  }
}
