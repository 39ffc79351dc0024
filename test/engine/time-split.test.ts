import { describe, expect, it } from 'vitest';
import {
  assertEnoughSeasons,
  rollingOriginFolds,
  splitByTime,
  type TimedRow,
} from '../../pipelines/split/time-split.ts';
import { isMlfolioError } from '../../portfolio/errors.ts';
import { splitSpecSchema } from '../../portfolio/project-file/question-spec.ts';

const rows: TimedRow[] = [];
for (const season of [1998, 1999, 2000, 2001, 2002]) {
  for (let i = 0; i < 3; i++) rows.push({ time: String(season), season: String(season) });
}
const spec = (input: object) => splitSpecSchema.parse(input);

describe('splitByTime', () => {
  it('holds out the latest seasons, ordering numeric seasons as numbers', () => {
    const numeric: TimedRow[] = [
      { time: '999', season: '999' },
      { time: '1000', season: '1000' },
    ];
    const split = splitByTime('p', numeric, spec({ testSeasons: 1 }), 'project.yaml');
    expect(split.testPeriod.seasons).toEqual(['1000']);
    expect(split.trainPeriod.seasons).toEqual(['999']);
  });

  it('leaves the declared gap out between training and test', () => {
    const split = splitByTime('p', rows, spec({ testSeasons: 1, gap: 1 }), 'project.yaml');
    expect(split.trainPeriod.seasons).toEqual(['1998', '1999', '2000']);
    expect(split.gap.map((i) => rows[i]!.season)).toEqual(['2001', '2001', '2001']);
    expect(split.testPeriod.seasons).toEqual(['2002']);
  });

  it('splits by date from testFrom, with a gap in days', () => {
    const daily: TimedRow[] = ['2020-01-01', '2020-01-05', '2020-01-09', '2020-01-10'].map((time) => ({
      time,
      season: '2020',
    }));
    const split = splitByTime('p', daily, spec({ by: 'date', testFrom: '2020-01-09', gap: 4 }), 'p.yaml');
    expect(split.train).toEqual([0]);
    expect(split.gap).toEqual([1]);
    expect(split.test).toEqual([2, 3]);
  });

  it('names the seasons and the fix when too few seasons remain to train on', () => {
    try {
      splitByTime('p', rows, spec({ testSeasons: 4, gap: 1 }), 'content/projects/p/project.yaml');
      expect.unreachable();
    } catch (error) {
      expect(isMlfolioError(error) && error.code).toBe('E_SPLIT_TOO_FEW_SEASONS');
      expect((error as Error).message).toContain('5 season(s)');
    }
  });

  it('refuses a date split whose training period reaches into the test period', () => {
    const overlapping: TimedRow[] = [
      { time: '2020-05-01', season: '2019' },
      { time: '2020-04-01', season: '2020' },
    ];
    expect(() => splitByTime('p', overlapping, spec({ testSeasons: 1 }), 'p.yaml')).toThrow(
      /runs to 2020-05-01/,
    );
  });
});

describe('rollingOriginFolds', () => {
  it('trains on every season before the test season, minus the gap, keeping the latest folds', () => {
    const folds = rollingOriginFolds(rows, { minTrainSeasons: 1, maxFolds: 2, gap: 1 });
    expect(folds.map((f) => [f.trainSeasons.join(','), f.testSeason])).toEqual([
      ['1998,1999', '2001'],
      ['1998,1999,2000', '2002'],
    ]);
  });

  it('keeps every fold, oldest first, when the folds are not limited', () => {
    const folds = rollingOriginFolds(rows, {
      minTrainSeasons: 1,
      maxFolds: Number.POSITIVE_INFINITY,
      gap: 1,
    });
    expect(folds.map((f) => [f.trainSeasons.join(','), f.testSeason])).toEqual([
      ['1998', '2000'],
      ['1998,1999', '2001'],
      ['1998,1999,2000', '2002'],
    ]);
    expect(folds[0]!.train.every((i) => rows[i]!.season === '1998')).toBe(true);
    expect(folds[0]!.test.every((i) => rows[i]!.season === '2000')).toBe(true);
  });
});

describe('assertEnoughSeasons', () => {
  const backtest = (minTrainSeasons: number, enabled = true) => ({ enabled, minTrainSeasons });

  it('passes when the split and the first backtest fold both fit the seasons', () => {
    expect(() =>
      assertEnoughSeasons(
        'p',
        rows,
        { split: spec({ testSeasons: 1 }), backtest: backtest(4) },
        'project.yaml',
      ),
    ).not.toThrow();
    // A split by date is checked by the split itself.
    expect(() =>
      assertEnoughSeasons(
        'p',
        rows,
        { split: spec({ by: 'date', testFrom: '2002-01-01' }), backtest: backtest(40) },
        'project.yaml',
      ),
    ).not.toThrow();
  });

  it('says how many seasons are needed, by which field, and how many are missing', () => {
    let error: unknown;
    try {
      assertEnoughSeasons(
        'p',
        rows,
        { split: spec({ testSeasons: 2, gap: 1 }), backtest: backtest(6) },
        'x.yaml',
      );
    } catch (caught) {
      error = caught;
    }
    expect(isMlfolioError(error) && error.code).toBe('E_TOO_FEW_SEASONS');
    expect((error as Error).message).toBe(
      'Project "p", stage split: 8 seasons with usable rows are needed, and the data has 5 (1998, 1999, 2000, 2001, 2002): split.testSeasons 2 and split.gap 1 need 4; backtest.minTrainSeasons 6 needs 8 for one fold.',
    );
    expect(isMlfolioError(error) && error.hint).toContain('Collect 3 more season(s)');
    // Without the backtest, only the split counts.
    expect(() =>
      assertEnoughSeasons(
        'p',
        rows,
        { split: spec({ testSeasons: 2, gap: 1 }), backtest: backtest(6, false) },
        'x.yaml',
      ),
    ).not.toThrow();
  });
});
