import { describe, expect, it } from 'vitest';
import {
  buildTrainingSet,
  checkFeatureLeakage,
  createFeatureStoreDatabase,
  type FeatureStoreSpecInput,
  type TrainingSet,
} from '../../pipelines/feature-store/index.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { clubFootball, internationalFootball, mlbTeamSeasons } from './declarations.ts';
import { nationRows, readings, readingsRows, teamSeasonRows } from './fixtures.ts';
import { bundledMatches } from './football-data.ts';

type Rows = readonly Record<string, unknown>[];

/** The rows of `full` at time `at`, field by field, as `part` must hold them (Object.is). */
function expectRowsAt(full: TrainingSet, part: TrainingSet, at: number): void {
  const expected = [...full.times.keys()].filter((i) => full.times[i] === at);
  expect(part.size).toBe(expected.length);
  expect(part.columns).toEqual(full.columns);
  expected.forEach((i, k) => {
    const row = (set: TrainingSet, j: number) => ({
      inputRow: set.inputRow[j],
      id: set.ids[j],
      time: set.times[j],
      available: set.available[j],
      season: set.seasonIndex[j],
      entities: Object.values(set.entities).map((keys) => keys[j]),
      // Object.is by way of toEqual on the values' text: NaN, -0 and the last bit all show.
      values: set.columns.map((c) => [Object.is(set.values[c]![j], -0) ? '-0' : String(set.values[c]![j])]),
      asOf: set.columns.map((c) => String(set.asOf[c]![j])),
    });
    expect(row(part, k)).toEqual(row(full, i));
  });
}

describe('a training set of one time (`at`, the leakage guard’s rebuilds)', () => {
  const cases: [string, FeatureStoreSpecInput, () => Promise<Rows>, number][] = [
    // Ties and a late row: lag and rolling views take the SQL windows, then the late-row correction.
    [
      'readings (SQL windows over events and days, a late row, a ratio)',
      readings,
      async () => readingsRows,
      10,
    ],
    ['international (Elo, a column view, a difference)', internationalFootball, async () => nationRows, 10],
    [
      'team seasons (lag, a window of seasons, an expression)',
      mlbTeamSeasons,
      async () => teamSeasonRows,
      10,
    ],
    [
      'club football, first 600 matches (Elo, swept windows, since)',
      clubFootball,
      async () => ((await bundledMatches()) as unknown as Rows).slice(0, 600),
      6,
    ],
  ];
  it.each(cases)(
    '%s: each time’s rows hold the full set’s values bit for bit',
    async (_, spec, rowsOf, times) => {
      const rows = await rowsOf();
      const full = await buildTrainingSet(spec, { rows });
      const distinct = [...new Set(full.times)];
      const chosen = distinct.filter((_, p) => p % Math.ceil(distinct.length / times) === 0);
      expect(chosen.length).toBeGreaterThan(1);
      const database = await createFeatureStoreDatabase({ threads: 1 });
      try {
        for (const at of chosen) {
          const part = await buildTrainingSet(spec, { rows }, 'spec', database, { at });
          expectRowsAt(full, part, at);
        }
        // A time without events gives an empty set, not an error.
        const none = await buildTrainingSet(spec, { rows }, 'spec', database, {
          at: Math.max(...distinct) + 1,
        });
        expect(none.size).toBe(0);
      } finally {
        database.close();
      }
    },
  );

  it('the guard still catches a formula that reads other events (a SQL window over the whole set)', async () => {
    const peeking = {
      ...readings,
      views: [
        ...readings.views,
        {
          name: 'peek',
          description: 'The largest previous reading of any event, later ones included',
          kind: 'formula',
          ttl: '3d',
          expression: 'max(x_last) OVER ()',
        },
      ],
    } satisfies FeatureStoreSpecInput;
    // Without it the same probes pass: the failure is the formula's.
    const clean = await checkFeatureLeakage(readings, readingsRows, { probes: 10 });
    expect(clean.checkedRows).toBe(readingsRows.length);
    const error = await checkFeatureLeakage(peeking, readingsRows, { probes: 10 }, 'project.yaml').catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(MlfolioError);
    expect((error as MlfolioError).code).toBe('E_FEATURE_LEAKAGE');
    expect((error as MlfolioError).message).toMatch(
      /^project\.yaml: feature view\(s\) "peek" of events at 2024-01-01 changed .* event a1 peek: 16 became NaN/,
    );
  });
});
