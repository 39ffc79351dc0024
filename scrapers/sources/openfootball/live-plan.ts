import { hashValue } from '../../../portfolio/hash.ts';
import type { ScrapePlan } from '../../scrape-plan.ts';
import { openFootballUrls, parseOpenFootball } from './live-transport.ts';
import type { MatchRecord } from './match-record.ts';
import { normaliseMatches, type RawMatch } from './normalise.ts';

/** OpenFootball's football.json, live, as a crawl of one file per season and league. */
export function openFootballPlan(options: {
  name?: string;
  seasons: readonly string[];
  leagues: readonly string[];
  baseUrl?: string;
}): ScrapePlan<MatchRecord> {
  const files = openFootballUrls(options);
  return {
    name: options.name ?? 'openfootball',
    seeds: files.map((file) => file.url),
    build(pages, collectedAt) {
      const rows: RawMatch[] = [];
      for (const page of pages) {
        const file = files.find((candidate) => candidate.url === page.entry.url);
        rows.push(...parseOpenFootball(page.body, page.entry.url, file?.league ?? ''));
      }
      const { records, excluded } = normaliseMatches(rows, files.map((file) => file.url).join(', '));
      return {
        records,
        excluded,
        provenance: {
          source: 'openfootball',
          transport: 'live',
          origin: pages.map((page) => page.entry.url),
          licence: 'CC0 1.0 (OpenFootball)',
          attribution: 'OpenFootball (github.com/openfootball/football.json)',
          collectedAt: collectedAt.toISOString(),
          rows: records.length,
          excludedRows: excluded.length,
          sha256: hashValue(records),
          ...(records.length ? { firstDate: records[0]!.date, lastDate: records.at(-1)!.date } : {}),
        },
      };
    },
  };
}
