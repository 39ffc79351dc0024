import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  assertNoSkew,
  checkTrainingServingSkew,
  type FeatureStoreSpecInput,
  formulaEvaluator,
  materializeOnlineStore,
  openFeatureStore,
  readOnlineFeature,
  readOnlineStore,
  serveFeatureRow,
  writeOnlineStore,
} from '../../pipelines/feature-store/index.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { clubFootball, internationalFootball, mlbTeamSeasons } from './declarations.ts';
import { nationRows, readings, readingsRows, teamSeasonRows } from './fixtures.ts';
import { bundledMatches } from './football-data.ts';

const temporary: string[] = [];
afterAll(async () => {
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

async function skewOf(spec: FeatureStoreSpecInput, rows: readonly Record<string, unknown>[], sample: number) {
  const session = await openFeatureStore(spec, { rows });
  try {
    const training = await session.trainingSet();
    return { report: await checkTrainingServingSkew(session, training, { sample, seed: 7 }), training };
  } finally {
    session.close();
  }
}

describe('training–serving skew check', () => {
  it('finds the online path equal to the offline store on the bundled club football data', async () => {
    const matches = (await bundledMatches()) as unknown as Record<string, unknown>[];
    const { report } = await skewOf(clubFootball, matches, 40);
    expect(report.checkedEvents).toBe(40);
    expect(report.checkedValues).toBe(40 * 11);
    expect(report.mismatches).toEqual([]);
  });

  it('agrees on same-season windows over events and days, and on windows over some roles', async () => {
    const matches = (await bundledMatches()) as unknown as Record<string, unknown>[];
    const seasonal = {
      ...clubFootball,
      views: [
        ...clubFootball.views,
        {
          name: 'season_points',
          description: 'Points per match this season, last 10',
          kind: 'rolling',
          entity: 'team',
          ttl: '200d',
          column: 'points',
          aggregate: 'mean',
          window: { events: 10 },
          sameSeason: true,
          default: 1.37,
        },
        {
          name: 'month_goals',
          description: 'Goals in the last 30 days this season',
          kind: 'rolling',
          entity: 'team',
          ttl: '30d',
          column: 'goals_for',
          aggregate: 'sum',
          window: { days: 30 },
          sameSeason: true,
        },
        {
          name: 'home_goals_std',
          description: 'Spread of goals in the last 90 days at home',
          kind: 'rolling',
          entity: 'team',
          ttl: '90d',
          historyRoles: ['home'],
          column: 'goals_for',
          aggregate: 'std',
          window: { days: 90 },
        },
      ],
    } as FeatureStoreSpecInput;
    const { report, training } = await skewOf(seasonal, matches, 40);
    expect(report.mismatches).toEqual([]);
    // The windows really restart each season: some teams' first match of a season has no history.
    const first = training.values.season_points_home!.filter((v) => v === 1.37).length;
    expect(first).toBeGreaterThan(50);
  });

  it('agrees on late rows, ties, same-day windows and formulas, on international matches and team seasons', async () => {
    for (const [spec, rows] of [
      [readings, readingsRows],
      [internationalFootball, nationRows],
      [mlbTeamSeasons, teamSeasonRows],
    ] as const) {
      const { report, training } = await skewOf(spec, rows, rows.length);
      expect(report.checkedEvents).toBe(rows.length);
      expect(report.mismatches).toEqual([]);
      expect(() => assertNoSkew(report, training, 'p.yaml')).not.toThrow();
    }
  });

  it('reports a skewed value and names its view', async () => {
    const session = await openFeatureStore(readings, { rows: readingsRows });
    try {
      const training = await session.trainingSet();
      // The training set as a buggy offline path would have it: a6's mean over 2 events off by one.
      training.values.x_mean2![training.ids.indexOf('a6')]! += 1;
      const report = await checkTrainingServingSkew(session, training, {
        sample: readingsRows.length,
        seed: 3,
      });
      expect(report.mismatches).toEqual([
        { id: 'a6', time: '2024-01-10', feature: 'x_mean2', offline: 13, online: 12 },
      ]);
      expect(() => assertNoSkew(report, training, 'p.yaml')).toThrow(/E_FEATURE_SKEW|view\(s\) "x_mean2"/);
    } finally {
      session.close();
    }
  });
});

describe('online store', () => {
  it('is written atomically as JSON and serves a new match: ratings by key, a prior for a newcomer, formulas by SQL', async () => {
    const matches = (await bundledMatches()) as unknown as Record<string, unknown>[];
    const session = await openFeatureStore(clubFootball, { rows: matches });
    try {
      const store = await materializeOnlineStore(session);
      const dir = await mkdtemp(join(tmpdir(), 'mlfolio-online-'));
      temporary.push(dir);
      const path = join(dir, 'online.json');
      await writeOnlineStore(path, store);
      expect(await readdir(dir)).toEqual(['online.json']);
      const read = await readOnlineStore(path);
      expect(read).toEqual(store);
      const served = await serveFeatureRow(
        session.plan,
        read,
        { time: '2017-08-12', season: '2017-18', entities: { home: 'Arsenal', away: 'Brand New FC' } },
        formulaEvaluator(session.connection),
      );
      expect(served.values.elo_home).toBe(store.views.elo!.values.Arsenal!.value);
      expect(served.values.elo_away).toBe(1420);
      expect(served.values.elo_diff).toBeCloseTo(served.values.elo_home! - 1420, 9);
      expect(served.values.form_away).toBe(1.37);
      expect(served.values.rest_days_home).toBe(14);
      expect(served.asOf.form_home).toBe(store.views.form!.values.Arsenal!.asOf);
      expect(served.stale).toEqual([]);
    } finally {
      session.close();
    }
  });

  it('reports a read past the TTL as stale, with its age, and refuses to serve an event before the materialisation', async () => {
    const session = await openFeatureStore(readings, { rows: readingsRows });
    try {
      const store = await materializeOnlineStore(session);
      expect(store.views.x_last!.values).toEqual({
        A: { value: 32, asOf: '2024-01-10', season: null },
        B: { value: 1000, asOf: '2024-01-06', season: null },
      });
      const fresh = readOnlineFeature(session.plan, store, { view: 'x_last', key: 'A', at: '2024-01-12' });
      expect(fresh).toMatchObject({ value: 32, age: 2, unit: 'days', stale: false });
      const stale = readOnlineFeature(session.plan, store, { view: 'x_last', key: 'B', at: '2024-01-12' });
      expect(stale).toMatchObject({ value: 1000, age: 6, ttl: '3d', stale: true });
      const served = await serveFeatureRow(
        session.plan,
        store,
        { time: '2024-01-12', entities: { self: 'B' } },
        formulaEvaluator(session.connection),
      );
      expect(served.stale.map((s) => s.feature).sort()).toEqual([
        'x_count5d',
        'x_last',
        'x_mean2',
        'x_sum5d',
      ]);
      expect(served.stale.find((s) => s.feature === 'x_last')).toEqual({
        feature: 'x_last',
        view: 'x_last',
        age: 6,
        unit: 'days',
        ttl: '3d',
      });
      await expect(
        serveFeatureRow(
          session.plan,
          store,
          { time: '2024-01-08', entities: { self: 'A' } },
          formulaEvaluator(session.connection),
        ),
      ).rejects.toThrow(MlfolioError);
    } finally {
      session.close();
    }
  });
});
