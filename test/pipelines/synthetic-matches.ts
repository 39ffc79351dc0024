import { seededRandom } from '../../pipelines/random.ts';
import type { MatchRecord } from '../../scrapers/sources/openfootball/index.ts';

/**
 * A small league with hidden team strengths: every team plays every other at home once a season,
 * one round a week from August. Goals are drawn from the strengths with a home advantage, seeded,
 * so stronger teams win more and features carry real signal.
 */
export function syntheticMatches(
  options: { seasons?: number; teams?: number; seed?: number } = {},
): MatchRecord[] {
  const seasons = options.seasons ?? 3;
  const teams = options.teams ?? 8;
  const random = seededRandom(options.seed ?? 7);
  const strength = Array.from({ length: teams }, (_, t) => (t - teams / 2) / teams);
  const poisson = (mean: number) => {
    let k = 0;
    let p = Math.exp(-mean);
    let s = p;
    const u = random();
    while (u > s && k < 10) {
      k++;
      p *= mean / k;
      s += p;
    }
    return k;
  };
  const matches: MatchRecord[] = [];
  for (let s = 0; s < seasons; s++) {
    const year = 2013 + s;
    const season = `${year}-${String((year + 1) % 100).padStart(2, '0')}`;
    let round = 0;
    for (let h = 0; h < teams; h++) {
      for (let a = 0; a < teams; a++) {
        if (h === a) continue;
        const day = new Date(Date.UTC(year, 7, 1) + Math.floor(round / (teams / 2)) * 7 * 86_400_000);
        round++;
        matches.push({
          date: day.toISOString().slice(0, 10),
          season,
          league: 'Synthetic League',
          homeTeam: `Team ${String.fromCharCode(65 + h)}`,
          awayTeam: `Team ${String.fromCharCode(65 + a)}`,
          homeGoals: poisson(Math.exp(0.3 + strength[h]! - strength[a]!)),
          awayGoals: poisson(Math.exp(strength[a]! - strength[h]!)),
        });
      }
    }
  }
  return matches.sort((x, y) => x.date.localeCompare(y.date) || x.homeTeam.localeCompare(y.homeTeam));
}
