import { MlfolioError } from '../../portfolio/errors.ts';
import type { FeatureRow } from '../features/match-features.ts';

export interface Period {
  seasons: string[];
  rows: number;
  from: string;
  to: string;
}

export interface SeasonSplit {
  train: number[];
  test: number[];
  trainPeriod: Period;
  testPeriod: Period;
}

/**
 * Holds out the latest `testSeasons` seasons. Every training match is played before every test
 * match, so a model never learns from the future it is scored on.
 */
export function splitBySeason(
  project: string,
  rows: readonly FeatureRow[],
  testSeasons: number,
): SeasonSplit {
  const seasons = [...new Set(rows.map((row) => row.season))].sort();
  if (seasons.length <= testSeasons) {
    throw new MlfolioError({
      code: 'E_SPLIT_TOO_FEW_SEASONS',
      message: `Project "${project}", stage split: the data covers ${seasons.length} season(s) (${seasons.join(', ')}), so ${testSeasons} test season(s) leave nothing to train on.`,
      hint: 'Collect more seasons, or lower split.testSeasons in project.yaml.',
    });
  }
  const held = new Set(seasons.slice(-testSeasons));
  const train: number[] = [];
  const test: number[] = [];
  for (const [index, row] of rows.entries()) (held.has(row.season) ? test : train).push(index);
  const lastTrain = rows[train.at(-1)!]!.date;
  const firstTest = rows[test[0]!]!.date;
  if (lastTrain > firstTest) {
    throw new MlfolioError({
      code: 'E_SPLIT_OVERLAP',
      message: `Project "${project}", stage split: training data runs to ${lastTrain} but the test period starts on ${firstTest}.`,
      hint: 'Seasons overlap in time; check the season assignment of the collected matches.',
    });
  }
  const present = new Set(train.map((index) => rows[index]!.outcome));
  const classNames = ['home win', 'draw', 'away win'];
  for (const outcome of [0, 1, 2] as const) {
    if (!present.has(outcome)) {
      throw new MlfolioError({
        code: 'E_CLASS_ABSENT',
        message: `Project "${project}", stage split, column "result": no ${classNames[outcome]} occurs in the ${train.length} training rows (seasons ${seasons.filter((s) => !held.has(s)).join(', ')}); ${describeRows(
          rows,
          test.filter((i) => rows[i]!.outcome === outcome),
        )} of the test period have one.`,
        hint: 'A model cannot learn a class it never sees; train on more seasons.',
      });
    }
  }
  return { train, test, trainPeriod: period(rows, train), testPeriod: period(rows, test) };
}

function period(rows: readonly FeatureRow[], indices: readonly number[]): Period {
  return {
    seasons: [...new Set(indices.map((i) => rows[i]!.season))].sort(),
    rows: indices.length,
    from: rows[indices[0]!]!.date,
    to: rows[indices.at(-1)!]!.date,
  };
}

/** Names of features that take a single value over the given rows: useless, and a sign of a bug. */
export function constantFeatures(
  rows: readonly FeatureRow[],
  indices: readonly number[],
  names: readonly string[],
): string[] {
  return names.filter((name) => {
    const first = rows[indices[0]!]!.features[name as keyof FeatureRow['features']];
    return indices.every((i) => rows[i]!.features[name as keyof FeatureRow['features']] === first);
  });
}

/** Throws naming the project, stage and feature(s) if any feature is constant over the training rows. */
export function assertInformativeFeatures(
  project: string,
  rows: readonly FeatureRow[],
  train: readonly number[],
  names: readonly string[],
): void {
  const constant = constantFeatures(rows, train, names);
  if (constant.length) {
    const value = rows[train[0]!]!.features[constant[0] as keyof FeatureRow['features']];
    throw new MlfolioError({
      code: 'E_FEATURE_CONSTANT',
      message: `Project "${project}", stage split: feature(s) ${constant.map((c) => `"${c}"`).join(', ')} take a single value (${constant[0]} = ${value}) over all ${train.length} training rows (${rows[train[0]!]!.date} to ${rows[train.at(-1)!]!.date}).`,
      hint: 'A constant feature carries no information; remove it from `features` in project.yaml.',
    });
  }
}

function describeRows(rows: readonly FeatureRow[], indices: readonly number[]): string {
  const shown = indices.slice(0, 3).map((i) => `${rows[i]!.date} ${rows[i]!.homeTeam}–${rows[i]!.awayTeam}`);
  return indices.length
    ? `${indices.length} row(s) (${shown.join(', ')}${indices.length > 3 ? ', …' : ''})`
    : 'no rows';
}
