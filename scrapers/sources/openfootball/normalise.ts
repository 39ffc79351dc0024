import { fieldPath } from '../../../portfolio/validate.ts';
import type { ExcludedRecord } from '../../source.ts';
import { compareMatches, type MatchRecord, matchRecordSchema, seasonOf } from './match-record.ts';

/** A match as a transport read it, before validation: every field is untrusted. */
export interface RawMatch {
  date: unknown;
  league: unknown;
  homeTeam: unknown;
  awayTeam: unknown;
  homeGoals: unknown;
  awayGoals: unknown;
}

/**
 * Validates raw matches. Matches without a score (postponed, cancelled, not yet played) are
 * excluded with that reason; any other invalid record is excluded with the failing fields named.
 */
export function normaliseMatches(
  rows: readonly RawMatch[],
  location: string,
): { records: MatchRecord[]; excluded: ExcludedRecord[] } {
  const records: MatchRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  rows.forEach((row, index) => {
    const at = `${location}[${index}]`;
    if (row.homeGoals == null || row.awayGoals == null) {
      excluded.push({ location: at, reason: 'no score (not played, postponed or cancelled)', record: row });
      return;
    }
    const date = typeof row.date === 'string' ? row.date : '';
    const result = matchRecordSchema.safeParse({
      ...row,
      season: /^\d{4}-\d{2}-\d{2}$/.test(date) ? seasonOf(date) : 'unknown',
    });
    if (result.success) {
      records.push(result.data);
    } else {
      const fields = result.error.issues.map((issue) => `${fieldPath(issue.path)}: ${issue.message}`);
      excluded.push({ location: at, reason: `invalid record (${fields.join('; ')})`, record: row });
    }
  });
  records.sort(compareMatches);
  return { records, excluded };
}
