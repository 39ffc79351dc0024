import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { hashValue } from '../../../portfolio/hash.ts';
import { fieldPath } from '../../../portfolio/validate.ts';
import { decodeBody } from '../../extract/decode.ts';
import { ScrapeError } from '../../scrape-error.ts';
import type { ScrapePlan } from '../../scrape-plan.ts';
import type { ExcludedRecord } from '../../source.ts';

export const internationalResultsUrl =
  'https://raw.githubusercontent.com/martj42/international_results/master/results.csv';

const expectedColumns = [
  'date',
  'home_team',
  'away_team',
  'home_score',
  'away_score',
  'tournament',
  'city',
  'country',
  'neutral',
] as const;

/** One men's international match (martj42/international_results, CC0). */
export const internationalMatchSchema = z.strictObject({
  date: z.iso.date(),
  homeTeam: z.string().min(1),
  awayTeam: z.string().min(1),
  homeGoals: z.number().int().nonnegative(),
  awayGoals: z.number().int().nonnegative(),
  tournament: z.string().min(1),
  city: z.string(),
  country: z.string(),
  neutral: z.boolean(),
});
export type InternationalMatch = z.output<typeof internationalMatchSchema>;

/**
 * Parses results.csv. The header must be exactly the nine known columns (else `layout-changed`
 * naming expected vs found); matches without a score ("NA": scheduled, abandoned) are excluded as
 * "no data", never read as 0–0.
 */
export function parseInternationalResults(
  body: Buffer,
  url: string,
): { records: InternationalMatch[]; excluded: ExcludedRecord[] } {
  const { text } = decodeBody(body, 'text/csv');
  const rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
  const header = rows[0] ?? [];
  if (expectedColumns.some((column, i) => header[i]?.trim() !== column)) {
    throw new ScrapeError('layout-changed', {
      code: 'E_LAYOUT_CHANGED',
      url,
      message: `the CSV header changed. Expected: ${expectedColumns.join(', ')}. Found: ${header.join(', ') || '(empty file)'}.`,
      hint: 'Update the column mapping in scrapers/sources/international-results/ to the new header.',
    });
  }
  const records: InternationalMatch[] = [];
  const excluded: ExcludedRecord[] = [];
  rows.slice(1).forEach((row, index) => {
    const location = `${url} line ${index + 2}`;
    const [date, homeTeam, awayTeam, homeScore, awayScore, tournament, city, country, neutral] = row;
    if (!/^\d+$/.test(homeScore ?? '') || !/^\d+$/.test(awayScore ?? '')) {
      excluded.push({ location, reason: `no data: no score ("${homeScore}"–"${awayScore}")`, record: row });
      return;
    }
    const result = internationalMatchSchema.safeParse({
      date,
      homeTeam,
      awayTeam,
      homeGoals: Number(homeScore),
      awayGoals: Number(awayScore),
      tournament,
      city,
      country,
      neutral: neutral?.toUpperCase() === 'TRUE',
    });
    if (result.success) records.push(result.data);
    else {
      const reason = result.error.issues
        .map((issue) => `${fieldPath(issue.path)}: ${issue.message}`)
        .join('; ');
      excluded.push({ location, reason: `invalid record (${reason})`, record: row });
    }
  });
  if (records.length === 0) {
    throw new ScrapeError('layout-changed', {
      code: 'E_LAYOUT_CHANGED',
      url,
      message: `the CSV has its header but no usable rows (${rows.length - 1} line(s) read).`,
      hint: 'Open the file: if it was truncated, run again later.',
    });
  }
  return { records, excluded };
}

/** The international-results source as a one-page crawl. */
export function internationalResultsPlan(url = internationalResultsUrl): ScrapePlan<InternationalMatch> {
  return {
    name: 'international-results',
    seeds: [url],
    build(pages, collectedAt) {
      const page = pages[0]!;
      const { records, excluded } = parseInternationalResults(page.body, url);
      return {
        records,
        excluded,
        provenance: {
          source: 'international-results',
          transport: 'live',
          origin: [url],
          licence: 'CC0 1.0',
          attribution: 'Mart Jürisoo, international_results (github.com/martj42/international_results)',
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
