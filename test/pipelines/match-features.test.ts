import { describe, expect, it } from 'vitest';
import { computeMatchFeatures } from '../../pipelines/features/match-features.ts';
import type { MatchRecord } from '../../scrapers/sources/openfootball/index.ts';
import { collectOpenFootball } from '../../scrapers/sources/openfootball/index.ts';

const { records } = await collectOpenFootball({ kind: 'openfootball', transport: 'offline' });
const sample = records.slice(0, 1500);

/** The same matches with every result on or after `date` replaced by a different one. */
function rewriteFrom(matches: readonly MatchRecord[], date: string): MatchRecord[] {
  return matches.map((match) =>
    match.date >= date ? { ...match, homeGoals: match.awayGoals + 3, awayGoals: match.homeGoals } : match,
  );
}

describe('match features use only matches played before', () => {
  it('do not change when the result of the match itself, its day, and everything later change', () => {
    const original = computeMatchFeatures(sample).rows;
    for (const index of [40, 400, 900, 1499]) {
      const date = sample[index]!.date;
      const rewritten = computeMatchFeatures(rewriteFrom(sample, date)).rows;
      const upToThatDay = original.filter((row) => row.date <= date);
      expect(upToThatDay.length).toBeGreaterThan(index);
      for (let i = 0; i < upToThatDay.length; i++) {
        expect(rewritten[i]!.features).toEqual(original[i]!.features);
      }
      // The rewrite really changed later features, so the comparison above could have failed.
      const later = original.findIndex((row) => row.date > date);
      if (later >= 0) {
        const changed = original
          .slice(later)
          .some((row, i) => row.features.elo_diff !== rewritten[later + i]!.features.elo_diff);
        expect(changed).toBe(true);
      }
    }
  });

  it('give both teams of a first match the starting rating and the prior form', () => {
    const first = computeMatchFeatures(sample).rows[0]!;
    expect(first.features.elo_home).toBe(1500);
    expect(first.features.elo_away).toBe(1500);
    expect(first.features.form_home).toBe(1.37);
    expect(first.features.rest_days_home).toBe(14);
  });

  it('move Elo towards the winner after a result', () => {
    const matches: MatchRecord[] = [
      {
        date: '2020-08-01',
        season: '2020-21',
        league: 'L',
        homeTeam: 'A',
        awayTeam: 'B',
        homeGoals: 3,
        awayGoals: 0,
      },
      {
        date: '2020-08-08',
        season: '2020-21',
        league: 'L',
        homeTeam: 'B',
        awayTeam: 'A',
        homeGoals: 1,
        awayGoals: 1,
      },
    ];
    const second = computeMatchFeatures(matches).rows[1]!;
    // A won by 3 at home: expected 0.585 (60 points of home advantage), multiplier (11 + 3) / 8.
    const gain = 20 * (14 / 8) * (1 - 1 / (1 + 10 ** (-60 / 400)));
    expect(second.features.elo_away).toBeCloseTo(1500 + gain, 10);
    expect(second.features.elo_home).toBeCloseTo(1500 - gain, 10);
    expect(second.features.form_away).toBe(3);
    expect(second.features.goal_diff_home).toBe(-3);
    expect(second.features.rest_days_home).toBe(7);
  });
});
