import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { impliedProbabilities, simulateBetting } from '../../pipelines/impact/betting.ts';
import { type Odds, readFootballDataCsv } from '../../pipelines/impact/football-data-csv.ts';
import { constantTips, valueTips } from '../../pipelines/impact/tipping.ts';
import { tippingImpact } from '../../pipelines/impact/tipping-impact.ts';
import { runRecordSchema } from '../../pipelines/runs/run-record.ts';
import { MlfolioError } from '../../portfolio/errors.ts';

const fixture = join(import.meta.dirname, 'fixtures', 'football-data-sample.csv');

describe('tipping impact', () => {
  const outcomes = [0, 0, 1, 2, 0, 2];
  const model = [0, 2, 1, 2, 0, 0];

  it('values a season of tips in points and the gain over the status quo by hand', () => {
    const result = valueTips(
      [
        { id: 'always-home', label: 'home', tips: constantTips(0, outcomes.length) },
        { id: 'model', label: 'model', tips: model },
      ],
      outcomes,
      { correct: 3, wrong: -1 },
      [{ policy: 'model', over: 'always-home' }],
      { seed: 1, resamples: 200 },
    );
    // Always home: 3 right (3 × 3) and 3 wrong (−3) = 6. Model: 4 right (12) and 2 wrong (−2) = 10.
    expect(result.policies.map((p) => [p.id, p.value.value, p.correct])).toEqual([
      ['always-home', 6, 3],
      ['model', 10, 4],
    ]);
    expect(result.gains[0]!.difference.value).toBeCloseTo(4, 12);
    expect(result.gains[0]!.difference.lower!).toBeLessThanOrEqual(4);
  });

  it('states the headline in the decision units first, saying when a gain cannot be told from zero', () => {
    const probabilities = {
      elo: outcomes.map(() => [0.5, 0.3, 0.2]),
      model: model.map((k) => [0, 1, 2].map((c) => (c === k ? 0.6 : 0.2))),
    };
    const impact = tippingImpact({
      spec: {
        decision: 'Tip every match',
        unit: 'points',
        value: { correct: 1, wrong: 0 },
        statusQuo: 'always-home',
        compareWith: ['elo'],
        betting: { edge: 0.05, stake: 1, bookmaker: 'Avg' },
      },
      models: [
        { id: 'elo', label: 'Elo' },
        { id: 'model', label: 'My model' },
      ],
      probabilities,
      outcomes,
      policyModel: 'model',
      period: 'the 2016-17 season',
      seed: 1,
      resamples: 200,
    });
    expect(impact.headline).toMatch(
      /^Tipping with My model over the 2016-17 season \(6 matches\) earns 4 points: \+1 points over always tipping the home side/,
    );
    expect(impact.headline).toContain('not distinguishable from zero');
    expect(impact.gains.map((g) => g.over)).toEqual(['always-home', 'elo']);
  });
});

describe('football-data CSV and the betting policy', () => {
  it('reads matches and odds, excluding rows without a score or without the chosen odds', async () => {
    const table = readFootballDataCsv(await readFile(fixture, 'utf8'), fixture, 'Avg');
    expect(table.matches).toHaveLength(9);
    expect(table.matches[0]).toEqual({
      date: '2024-08-16',
      league: 'E0',
      homeTeam: 'Man United',
      awayTeam: 'Fulham',
      homeGoals: 1,
      awayGoals: 0,
      odds: [1.62, 4.36, 5.15],
    });
    expect(table.excluded).toEqual([
      { line: 10, reason: 'no score' },
      { line: 12, reason: 'no Avg odds' },
    ]);
    const b365 = readFootballDataCsv(await readFile(fixture, 'utf8'), fixture, 'B365');
    expect(b365.excluded.map((e) => e.reason)).toEqual(['no score', 'no B365 odds']);
    expect(b365.matches.at(-1)!.homeTeam).toBe('Brighton, Hove');
  });

  it('names the file and the missing column', async () => {
    const text = (await readFile(fixture, 'utf8')).replace('FTAG', 'Away goals');
    expect(() => readFootballDataCsv(text, 'E0.csv')).toThrowError(MlfolioError);
    expect(() => readFootballDataCsv(text, 'E0.csv')).toThrow(
      /E0\.csv: the football-data CSV has no column "FTAG"/,
    );
    expect(() => readFootballDataCsv(text.replace('Away goals', 'FTAG'), 'E0.csv', 'XYZ')).toThrow(
      /no column "XYZH"/,
    );
  });

  it('removes the margin from implied probabilities', () => {
    const p = impliedProbabilities([2, 4, 4]);
    // Inverse odds 0.5 + 0.25 + 0.25 = 1: no margin.
    expect(p).toEqual([0.5, 0.25, 0.25]);
    const q = impliedProbabilities([1.9, 3.6, 4.2]);
    expect(q.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('bets where the expected return beats the edge and reports return on stake by hand', () => {
    const odds: Odds[] = [
      [2, 3.5, 4],
      [2, 3.5, 4],
      [1.5, 4, 6],
      [3, 3, 2.5],
    ];
    const forecasts = [
      [0.6, 0.2, 0.2], // home EV 0.2 → bet home; home wins: +1
      [0.6, 0.2, 0.2], // bet home; away wins: −1
      [0.6, 0.2, 0.2], // home EV −0.1, away EV 0.2 → bet away; draw: −1
      [0.3, 0.3, 0.4], // best EV 0 (home, away): below the edge, no bet
    ];
    const result = simulateBetting(forecasts, odds, [0, 2, 1, 0], {
      edge: 0.05,
      stake: 1,
      bookmaker: 'Avg',
      seed: 1,
      resamples: 200,
    });
    expect(result.retrospective).toBe(true);
    // It fits the run record's impact.betting section as it is.
    expect(runRecordSchema.shape.impact.unwrap().shape.betting.unwrap().parse(result)).toEqual(result);
    expect(result.bets).toBe(3);
    expect(result.staked).toBe(3);
    expect(result.profit).toBe(-1);
    expect(result.returnOnStake.value).toBeCloseTo(-1 / 3, 12);
    // Margins: 1/2+1/3.5+1/4 − 1 twice, 1/1.5+1/4+1/6 − 1, 1/3+1/3+1/2.5 − 1.
    const margins = [
      0.5 + 1 / 3.5 + 0.25 - 1,
      0.5 + 1 / 3.5 + 0.25 - 1,
      1 / 1.5 + 0.25 + 1 / 6 - 1,
      2 / 3 + 0.4 - 1,
    ];
    expect(result.breakEvenEdge).toBeCloseTo(margins.reduce((a, b) => a + b) / 4, 12);
  });

  it('runs end to end on the CSV fixture with market probabilities as the forecast and loses the margin', async () => {
    const { matches } = readFootballDataCsv(await readFile(fixture, 'utf8'), fixture);
    const outcomes = matches.map((m) =>
      m.homeGoals > m.awayGoals ? 0 : m.homeGoals === m.awayGoals ? 1 : 2,
    );
    // Forecasting exactly the market never finds an edge: no bets.
    const result = simulateBetting(
      matches.map((m) => impliedProbabilities(m.odds)),
      matches.map((m) => m.odds),
      outcomes,
      { edge: 0, stake: 1, bookmaker: 'Avg', seed: 1, resamples: 100 },
    );
    expect(result.bets).toBe(0);
    expect(result.breakEvenEdge).toBeGreaterThan(0);
  });
});
