import { hashValue } from '../../../portfolio/hash.ts';
import { decodeBody } from '../../extract/decode.ts';
import { findTables } from '../../extract/find-tables.ts';
import { extractMatchScore } from '../../extract/scorebox.ts';
import { type ExtractedRecord, extractTable, type TableSpec } from '../../extract/table-spec.ts';
import { isScrapeError } from '../../scrape-error.ts';
import type { ScrapePlan } from '../../scrape-plan.ts';
import type { ExcludedRecord } from '../../source.ts';

export interface HtmlStatsTableSpec {
  name: string;
  urls: readonly string[];
  table: TableSpec;
  licence?: string;
  attribution?: string;
}

/** A record from a stats table, with the page it came from. */
export type StatsRow = ExtractedRecord & { page: string };

/**
 * A generic source for pages that publish a stats table (sports-reference and friends): one
 * table per page, located by any of its known ids (visible or inside an HTML comment), every row
 * checked against the declared columns. A page whose table is missing or changed fails the run as
 * `layout-changed`; a match page that says the match was not played is excluded as "no data".
 */
export function htmlStatsTablePlan(spec: HtmlStatsTableSpec): ScrapePlan<StatsRow> {
  return {
    name: spec.name,
    seeds: spec.urls,
    build(pages, collectedAt) {
      const records: StatsRow[] = [];
      const excluded: ExcludedRecord[] = [];
      for (const page of pages) {
        const url = page.entry.url;
        const html = decodeBody(page.body, page.entry.headers['content-type']).text;
        try {
          const result = extractTable(html, page.entry.finalUrl, spec.table, findTables(html));
          for (const record of result.records) records.push({ ...record, page: url });
          excluded.push(...result.excluded);
        } catch (error) {
          const noData =
            isScrapeError(error) && error.kind === 'layout-changed' ? noDataReason(html, url) : undefined;
          if (!noData) throw error;
          excluded.push({ location: url, reason: noData, record: null });
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
