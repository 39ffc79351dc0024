import { describe, expect, it } from 'vitest';
import {
  buildTrainingSet,
  createFeatureStoreDatabase,
  futureTarget,
  openFeatureStore,
  type TrainingSet,
  trainingRow,
} from '../../pipelines/feature-store/index.ts';
import { matchFeatureNames } from '../../templates/match-outcome/project-file-v1.ts';
import { v1MatchFeatures } from '../helpers/v1-football.ts';
import { clubFootball, internationalFootball, mlbTeamSeasons } from './declarations.ts';
import { nationRows, readings, readingsRows, teamSeasonRows } from './fixtures.ts';
import { bundledMatches, sharedCsv } from './football-data.ts';

const byId = (set: TrainingSet, id: string) => trainingRow(set, set.ids.indexOf(id));

describe('offline store: point in time', () => {
  it('reads only earlier times: same-time events are invisible to each other, late rows count from when they were recorded', async () => {
    const set = await buildTrainingSet(readings, { rows: readingsRows });
    expect(set.ids).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'a5', 'a6']);
    expect(byId(set, 'a1').values).toEqual({
      x_last: null,
      x_mean2: null,
      x_sum5d: null,
      x_count5d: 0,
      gap: 30,
      trend: null,
    });
    // a2 and a3 share 2024-01-03: both see only a1.
    for (const id of ['a2', 'a3']) {
      expect(byId(set, id).values).toEqual({
        x_last: 1,
        x_mean2: 1,
        x_sum5d: 1,
        x_count5d: 1,
        gap: 2,
        trend: 1,
      });
      expect(byId(set, id).asOf.x_last).toBe('2024-01-01');
    }
    expect(byId(set, 'a4').values).toEqual({
      x_last: 4,
      x_mean2: 3,
      x_sum5d: 7,
      x_count5d: 3,
      gap: 2,
      trend: 4 / 3,
    });
    // a4 (2024-01-05) was recorded on 2024-01-09: unknown on 2024-01-07.
    expect(byId(set, 'a5').values).toEqual({
      x_last: 4,
      x_mean2: 3,
      x_sum5d: 6,
      x_count5d: 2,
      gap: 4,
      trend: 4 / 3,
    });
    expect(byId(set, 'a5').asOf).toMatchObject({
      x_last: '2024-01-03',
      gap: '2024-01-03',
      x_sum5d: '2024-01-03',
    });
    // By 2024-01-10 it is known, in its place by time.
    expect(byId(set, 'a6').values).toEqual({
      x_last: 16,
      x_mean2: 12,
      x_sum5d: 24,
      x_count5d: 2,
      gap: 3,
      trend: 16 / 12,
    });
    expect(byId(set, 'b1').values).toEqual({
      x_last: null,
      x_mean2: null,
      x_sum5d: null,
      x_count5d: 0,
      gap: 30,
      trend: null,
    });
  });

  it('rates international matches with K by tournament and no home advantage at neutral venues', async () => {
    const set = await buildTrainingSet(internationalFootball, { rows: nationRows });
    const expected = (a: number, b: number, advantage: number) => 1 / (1 + 10 ** ((b - a - advantage) / 400));
    // Match 1: friendly (K 20), home advantage 100, won by two goals (multiplier 1.5).
    const d1 = 20 * 1.5 * (1 - expected(1500, 1500, 100));
    const x1 = 1500 + d1;
    const y1 = 1500 - d1;
    // Match 2: World Cup (K 60), neutral, a draw: Y is the listed home side but gets no advantage.
    const d2 = 60 * 1 * (0.5 - expected(y1, x1, 0));
    const x2 = x1 - d2;
    const [m1, m2, m3] = [0, 1, 2].map((i) => trainingRow(set, i));
    expect(m1!.values).toMatchObject({ elo_home: 1500, elo_away: 1500, neutral_venue: 0 });
    expect(m2!.values.elo_home).toBeCloseTo(y1, 9);
    expect(m2!.values.elo_away).toBeCloseTo(x1, 9);
    expect(m2!.values.neutral_venue).toBe(1);
    expect(m3!.values.elo_home).toBeCloseTo(x2, 9);
    expect(m3!.values.elo_away).toBe(1500);
    expect(m3!.values.elo_diff).toBeCloseTo(x2 - 1500, 9);
    expect(m3!.asOf.elo_home).toBe('2020-02-01');
    // X scored 2 and 1 in the two years before 2020-03-01.
    expect(m3!.values.goals_scored_home).toBe(1.5);
  });

  it('turns MLB team seasons into this season’s table, a Pythagorean formula and next season’s wins as a target', async () => {
    const session = await openFeatureStore(mlbTeamSeasons, { rows: teamSeasonRows });
    try {
      const set = await session.trainingSet();
      const target = await futureTarget(session, { role: 'self', column: 'W' });
      const rows = Array.from({ length: set.size }, (_, i) => ({
        ...trainingRow(set, i),
        next: target.values[i],
      }));
      const bos2001 = rows.find((r) => r.time === '2001' && r.entities.self === 'BOS')!;
      expect(bos2001.values.pythagorean_wins).toBeCloseTo((161 * 772 ** 2) / (772 ** 2 + 745 ** 2), 9);
      expect(bos2001.values.wins_last_season).toBe(85);
      expect(bos2001.next).toBeNaN(); // no 2002 season
      const nyy2002 = rows.find((r) => r.time === '2002' && r.entities.self === 'NYY')!;
      expect(nyy2002.values.W).toBe(103);
      expect(nyy2002.next).toBe(101);
      expect(nyy2002.values.wins_3_seasons).toBe((87 + 95) / 2);
      const bos2003 = rows.find((r) => r.time === '2003' && r.entities.self === 'BOS')!;
      expect(bos2003.values.wins_last_season).toBe(82);
      expect(bos2003.asOf.wins_last_season).toBe('2001');
      expect(bos2003.values.wins_3_seasons).toBe((85 + 82) / 2);
      expect(bos2003.next).toBeNaN();
    } finally {
      session.close();
    }
  });
});

describe('offline store: only the columns the declaration reads are loaded', () => {
  it('loads keys, time, views’ and Elo’s columns and those a perspective expression names (in any case), not the others', async () => {
    const rows = nationRows.map((row) => ({ ...row, city: 'Somewhere', attendance: 1000, Extra_Goals: 1 }));
    const spec = structuredClone(internationalFootball);
    // A perspective expression naming a column in another case: DuckDB identifiers ignore case.
    spec.table.roles.home.columns.goals_for = 'home_score + 0 * "extra_goals"';
    const session = await openFeatureStore(spec, { rows }, 'nations');
    try {
      const described = await session.connection.runAndReadAll('DESCRIBE events');
      const loaded = described.getColumnsJS()[0] as string[];
      expect(loaded.filter((name) => !name.startsWith('__'))).toEqual([
        'date',
        'home_team',
        'away_team',
        'home_score',
        'away_score',
        'tournament',
        'neutral',
        'Extra_Goals',
      ]);
      // The same features as with every column loaded.
      const set = await session.trainingSet();
      expect(set.values).toEqual(
        (await buildTrainingSet(internationalFootball, { rows: nationRows })).values,
      );
    } finally {
      session.close();
    }
  });

  it('still names every column of the events when a declared one is missing', async () => {
    const rows = nationRows.map((row) => ({ ...row, city: 'Somewhere' }));
    const spec = structuredClone(internationalFootball);
    spec.views[0] = { ...spec.views[0]!, column: 'neutrl' } as (typeof spec.views)[0];
    await expect(buildTrainingSet(spec, { rows }, 'nations')).rejects.toThrow(
      /no column "neutrl".*Did you mean "neutral"\?/s,
    );
    await expect(buildTrainingSet(spec, { rows }, 'nations')).rejects.toMatchObject({
      hint: expect.stringContaining('city'),
    });
  });
});

describe('offline store: sessions sharing one DuckDB instance', () => {
  it('builds each store in its own catalog, the same as on its own instance, with one session still open beside the next', async () => {
    const alone = await buildTrainingSet(internationalFootball, { rows: nationRows });
    const database = await createFeatureStoreDatabase({ threads: 1 });
    try {
      const open = await openFeatureStore(readings, { rows: readingsRows }, 'readings', database);
      const shared = await buildTrainingSet(internationalFootball, { rows: nationRows }, 'nations', database);
      const again = await buildTrainingSet(
        internationalFootball,
        { rows: nationRows.slice(0, 2) },
        'nations',
        database,
      );
      // The first session's tables are untouched by the two built after it.
      const readingsSet = await open.trainingSet();
      open.close();
      expect(readingsSet.ids).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'a5', 'a6']);
      expect(shared).toEqual(alone);
      expect(again.size).toBe(2);
      // Closed sessions' catalogs are detached when the next one opens.
      const last = await openFeatureStore(readings, { rows: readingsRows }, 'readings', database);
      const catalogs = await last.connection.runAndReadAll(
        "SELECT database_name FROM duckdb_databases() WHERE database_name LIKE '__store_%' ORDER BY 1",
      );
      last.close();
      expect(catalogs.getColumnsJS()[0]).toEqual(['__store_3']);
    } finally {
      database.close();
    }
  });
});

describe('offline store: the club football example as data', () => {
  it('reproduces the 11 match features the version 1 pipeline computed on the bundled data, value for value', async () => {
    const matches = await bundledMatches();
    const set = await buildTrainingSet(clubFootball, {
      rows: matches as unknown as Record<string, unknown>[],
    });
    const reference = await v1MatchFeatures();
    expect(set.size).toBe(reference.length);
    expect([...set.columns].sort()).toEqual([...matchFeatureNames].sort());
    const mismatches: string[] = [];
    let nonDefault = 0;
    for (let i = 0; i < set.size; i++) {
      const row = reference[set.inputRow[i]!]!;
      const match = matches[set.inputRow[i]!]!;
      if (row.date !== match.date || row.homeTeam !== match.homeTeam) {
        mismatches.push(`row ${i}: ${match.date} ${match.homeTeam} ≠ ${row.date} ${row.homeTeam}`);
      }
      for (const name of matchFeatureNames) {
        const value = set.values[name]![i]!;
        // The golden values carry 12 significant digits.
        if (Math.abs(value - row.features[name]!) > 1e-6)
          mismatches.push(`${row.date} ${row.homeTeam} ${name}: ${value} ≠ ${row.features[name]}`);
        if (name === 'elo_home' && value !== 1500 && value !== 1420) nonDefault++;
      }
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
    expect(nonDefault).toBeGreaterThan(6000);
  });
});

describe('offline store: real open datasets', () => {
  const international = sharedCsv('international_results.csv.gz');
  it.skipIf(!international)('rates every men’s international since 1872 from the results file', async () => {
    const set = await buildTrainingSet(internationalFootball, { path: international! });
    expect(set.size).toBeGreaterThan(45_000);
    const elo = set.values.elo_home!;
    expect(elo.every((v) => Number.isFinite(v))).toBe(true);
    const last = set.size - 1;
    const spread = Math.max(...elo.slice(last - 2000)) - Math.min(...elo.slice(last - 2000));
    expect(spread).toBeGreaterThan(500);
  });

  const teams = sharedCsv('baseballdatabank_Teams.csv');
  it.skipIf(!teams)('builds the MLB team-season table with next season’s wins', async () => {
    const session = await openFeatureStore(mlbTeamSeasons, { path: teams! });
    try {
      const set = await session.trainingSet();
      const target = await futureTarget(session, { role: 'self', column: 'W' });
      expect(set.size).toBeGreaterThan(2500);
      // This season's Pythagorean wins predict next season's wins better than nothing: r > 0.5.
      const pairs: [number, number][] = [];
      for (let i = 0; i < set.size; i++) {
        const p = set.values.pythagorean_wins![i]!;
        const next = target.values[i]!;
        if (Number.isFinite(p) && Number.isFinite(next) && set.values.G![i]! >= 150) pairs.push([p, next]);
      }
      expect(pairs.length).toBeGreaterThan(1500);
      expect(correlation(pairs)).toBeGreaterThan(0.5);
    } finally {
      session.close();
    }
  });
});

function correlation(pairs: readonly [number, number][]): number {
  const n = pairs.length;
  const mx = pairs.reduce((s, [x]) => s + x, 0) / n;
  const my = pairs.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of pairs) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}
