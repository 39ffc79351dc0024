import { z } from 'zod';

/** One played match, the unit every match-outcome project works on. */
export const matchRecordSchema = z.strictObject({
  date: z.iso.date(),
  season: z.string().regex(/^\d{4}-\d{2}$/),
  league: z.string().min(1),
  homeTeam: z.string().min(1),
  awayTeam: z.string().min(1),
  homeGoals: z.number().int().nonnegative(),
  awayGoals: z.number().int().nonnegative(),
});
export type MatchRecord = z.output<typeof matchRecordSchema>;

/** The record's fields as table columns with their types, for a version 2 project's table. */
export const matchRecordColumns = {
  date: 'date',
  season: 'string',
  league: 'string',
  homeTeam: 'string',
  awayTeam: 'string',
  homeGoals: 'integer',
  awayGoals: 'integer',
} as const satisfies Record<keyof MatchRecord, 'date' | 'string' | 'integer'>;

/** European football seasons run from July to June: 2016-08-20 belongs to "2016-17". */
export function seasonOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const start = month >= 7 ? year : year - 1;
  return `${start}-${String((start + 1) % 100).padStart(2, '0')}`;
}

export function compareMatches(a: MatchRecord, b: MatchRecord): number {
  return (
    a.date.localeCompare(b.date) ||
    a.league.localeCompare(b.league) ||
    a.homeTeam.localeCompare(b.homeTeam) ||
    a.awayTeam.localeCompare(b.awayTeam)
  );
}
