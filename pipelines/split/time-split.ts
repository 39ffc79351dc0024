import { MlfolioError } from '../../portfolio/errors.ts';
import type { SplitSpec } from '../../portfolio/project-file/question-spec.ts';

/** What the split needs of a row: when it happened and which season it belongs to. */
export interface TimedRow {
  /** Sortable time: YYYY-MM-DD, or a season key. */
  time: string;
  season: string;
}

export interface Period {
  seasons: string[];
  rows: number;
  from: string;
  to: string;
}

export interface TimeSplit {
  train: number[];
  test: number[];
  /** Rows left out between training and test (the declared gap). */
  gap: number[];
  trainPeriod: Period;
  testPeriod: Period;
}

/**
 * Trains on the past and tests on the latest period: the last `testSeasons` seasons (`by:
 * season`) or every row from `testFrom` (`by: date`), with `gap` seasons or days left out between
 * them. Every training row happens strictly before every test row, checked, so no model learns from
 * the future it is scored on.
 */
export function splitByTime(
  project: string,
  rows: readonly TimedRow[],
  spec: SplitSpec,
  file: string,
): TimeSplit {
  const seasons = [...new Set(rows.map((row) => row.season))].sort(seasonOrder);
  const train: number[] = [];
  const test: number[] = [];
  const gap: number[] = [];
  if (spec.by === 'season') {
    if (seasons.length <= spec.testSeasons + spec.gap) {
      throw new MlfolioError({
        code: 'E_SPLIT_TOO_FEW_SEASONS',
        message: `Project "${project}", stage split: the data covers ${seasons.length} season(s) (${summariseSeasons(seasons)}), so ${spec.testSeasons} test season(s) and a gap of ${spec.gap} leave nothing to train on.`,
        hint: `Collect more seasons, or lower split.testSeasons / split.gap in ${file}.`,
      });
    }
    const testSet = new Set(seasons.slice(-spec.testSeasons));
    const gapSet = new Set(seasons.slice(-spec.testSeasons - spec.gap, -spec.testSeasons));
    rows.forEach((row, i) => {
      (testSet.has(row.season) ? test : gapSet.has(row.season) ? gap : train).push(i);
    });
  } else {
    if (!spec.testFrom) {
      throw new MlfolioError({
        code: 'E_PROJECT_FILE_INVALID',
        message: `${file}: split.by is "date" but split.testFrom is missing.`,
        hint: 'Give the first test date, e.g. testFrom: 2016-07-01.',
      });
    }
    const gapStart = shiftDays(spec.testFrom, -spec.gap);
    rows.forEach((row, i) => {
      (row.time >= spec.testFrom! ? test : row.time >= gapStart ? gap : train).push(i);
    });
  }
  if (train.length === 0 || test.length === 0) {
    throw new MlfolioError({
      code: 'E_SPLIT_EMPTY',
      message: `Project "${project}", stage split: the ${train.length === 0 ? 'training' : 'test'} period has no rows (${rows.length} rows in all).`,
      hint: `Check split in ${file} against the data's time range (${summariseSeasons(seasons)}).`,
    });
  }
  const lastTrain = maxTime(rows, train);
  const firstTest = minTime(rows, test);
  if (compareTime(lastTrain, firstTest) >= 0) {
    throw new MlfolioError({
      code: 'E_SPLIT_OVERLAP',
      message: `Project "${project}", stage split: training data runs to ${lastTrain} but the test period starts on ${firstTest}.`,
      hint: 'Seasons overlap in time; check the season column of the events table.',
    });
  }
  return { train, test, gap, trainPeriod: period(rows, train), testPeriod: period(rows, test) };
}

/**
 * Throws, before anything is trained, when the seasons with usable rows are too few for the split
 * and the backtest together: the split needs `testSeasons + gap` seasons and one to train on; the
 * backtest's first fold `minTrainSeasons + gap` and one to test on. The error says how many are
 * needed, how many there are, and which fields trade one for the other.
 */
export function assertEnoughSeasons(
  project: string,
  rows: readonly TimedRow[],
  spec: { split: SplitSpec; backtest: BacktestSpec },
  file: string,
): void {
  if (spec.split.by !== 'season') return;
  const seasons = [...new Set(rows.map((row) => row.season))].sort(seasonOrder);
  const forSplit = spec.split.testSeasons + spec.split.gap + 1;
  const forBacktest = spec.backtest.enabled ? spec.backtest.minTrainSeasons + spec.split.gap + 1 : 0;
  const needed = Math.max(forSplit, forBacktest);
  if (seasons.length >= needed) return;
  const why = [
    `split.testSeasons ${spec.split.testSeasons}${spec.split.gap ? ` and split.gap ${spec.split.gap}` : ''} need ${forSplit}`,
    ...(spec.backtest.enabled
      ? [`backtest.minTrainSeasons ${spec.backtest.minTrainSeasons} needs ${forBacktest} for one fold`]
      : []),
  ];
  throw new MlfolioError({
    code: 'E_TOO_FEW_SEASONS',
    message: `Project "${project}", stage split: ${needed} seasons with usable rows are needed, and the data has ${seasons.length}${seasons.length ? ` (${summariseSeasons(seasons)})` : ''}: ${why.join('; ')}.`,
    hint: `Collect ${needed - seasons.length} more season(s) — a next-season target gives the last season collected none — or lower those fields in ${file}.`,
  });
}

type BacktestSpec = { enabled: boolean; minTrainSeasons: number };

export interface BacktestFold {
  trainSeasons: string[];
  testSeason: string;
  train: number[];
  test: number[];
}

/**
 * Rolling-origin folds: for each season N with at least `minTrainSeasons` seasons before it (and
 * the gap), train on every season before N minus the gap, test on N. Only the latest `maxFolds`
 * are kept; the last fold is the final split when that holds out one season.
 */
export function rollingOriginFolds(
  rows: readonly TimedRow[],
  options: { minTrainSeasons: number; maxFolds: number; gap: number },
): BacktestFold[] {
  const seasons = [...new Set(rows.map((row) => row.season))].sort(seasonOrder);
  // Built from the latest season back, stopping at `maxFolds`: each fold scans every row, and a
  // long history (150 seasons of internationals) would otherwise build a hundred folds to keep five.
  const limit = options.maxFolds > 0 ? options.maxFolds : Number.POSITIVE_INFINITY;
  const folds: BacktestFold[] = [];
  for (let t = seasons.length - 1; t >= options.minTrainSeasons + options.gap && folds.length < limit; t--) {
    const trainSeasons = seasons.slice(0, t - options.gap);
    const testSeason = seasons[t]!;
    const inTrain = new Set(trainSeasons);
    const train: number[] = [];
    const test: number[] = [];
    rows.forEach((row, i) => {
      if (inTrain.has(row.season)) train.push(i);
      else if (row.season === testSeason) test.push(i);
    });
    if (train.length && test.length) folds.push({ trainSeasons, testSeason, train, test });
  }
  return folds.reverse();
}

/** Seasons sort as numbers when they are numbers (1999 < 2000), else as text (`2013-14`). */
export function seasonOrder(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.localeCompare(b);
}

function period(rows: readonly TimedRow[], indices: readonly number[]): Period {
  return {
    seasons: [...new Set(indices.map((i) => rows[i]!.season))].sort(seasonOrder),
    rows: indices.length,
    from: minTime(rows, indices),
    to: maxTime(rows, indices),
  };
}

function minTime(rows: readonly TimedRow[], indices: readonly number[]): string {
  let best = rows[indices[0]!]!.time;
  for (const i of indices) if (compareTime(rows[i]!.time, best) < 0) best = rows[i]!.time;
  return best;
}

function maxTime(rows: readonly TimedRow[], indices: readonly number[]): string {
  let best = rows[indices[0]!]!.time;
  for (const i of indices) if (compareTime(rows[i]!.time, best) > 0) best = rows[i]!.time;
  return best;
}

const compareTime = seasonOrder;

function shiftDays(date: string, days: number): string {
  return new Date(Date.parse(date) + days * 86_400_000).toISOString().slice(0, 10);
}

function summariseSeasons(seasons: readonly string[]): string {
  return seasons.length > 6
    ? `${seasons.slice(0, 3).join(', ')}, …, ${seasons.slice(-2).join(', ')}`
    : seasons.join(', ');
}
