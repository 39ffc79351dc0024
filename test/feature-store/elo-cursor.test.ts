import { describe, expect, it } from 'vitest';
import { EloCursor, type EloEvent, runElo } from '../../pipelines/feature-store/elo-ratings.ts';
import type { EloView } from '../../pipelines/feature-store/feature-view-schema.ts';

const view = {
  name: 'elo',
  kind: 'elo',
  entity: 'team',
  score: 'goals',
  k: 20,
  homeAdvantage: 60,
  initial: 1500,
  newcomer: 1450,
  marginMultiplier: true,
  seasonRegression: 0.25,
  ttl: '1000d',
} as EloView;

/** Seeded events of 12 teams over 300 days: several per day, some recorded late, some unplayed. */
function events(): EloEvent[] {
  let seed = 7;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const out: EloEvent[] = [];
  for (let t = 0; t < 300; t += 1 + Math.floor(random() * 3)) {
    for (let m = Math.floor(random() * 4); m >= 0; m--) {
      const first = Math.floor(random() * 12);
      const second = (first + 1 + Math.floor(random() * 11)) % 12;
      const played = random() > 0.05;
      out.push({
        t,
        avail: random() < 0.1 ? t + 1 + Math.floor(random() * 20) : t,
        season: Math.floor(t / 100),
        first: `team ${first}`,
        second: `team ${second}`,
        firstScore: played ? Math.floor(random() * 5) : null,
        secondScore: played ? Math.floor(random() * 5) : null,
        neutral: random() < 0.2,
        k: 10 + Math.floor(random() * 40),
      });
    }
  }
  return out;
}

describe('the Elo cursor', () => {
  it('holds, at each of increasing times, bit for bit the states of a fresh run to that time', () => {
    const all = events();
    const cursor = new EloCursor(view, all, 0);
    let compared = 0;
    for (const until of [0, 1, 5, 5, 37, 38, 120, 121.5, 200, 299, 300, 400]) {
      cursor.advanceTo(until);
      const fresh = runElo(view, all, 0, until);
      expect([...cursor.states.entries()]).toEqual([...fresh.states.entries()]);
      compared += fresh.states.size;
    }
    expect(compared).toBeGreaterThan(50);
    cursor.advanceTo(Number.POSITIVE_INFINITY);
    const whole = runElo(view, all, 0);
    expect(cursor.pre).toEqual(whole.pre);
    expect(cursor.asOf).toEqual(whole.asOf);
  });

  it('refuses to go back in time', () => {
    const cursor = new EloCursor(view, events(), 0);
    cursor.advanceTo(50);
    expect(() => cursor.advanceTo(49)).toThrow(/cannot go back to 49/);
  });
});
