import { describe, expect, it } from 'vitest';
import { rollingOriginFolds } from '../../pipelines/backtest/rolling-origin.ts';
import { checkNoLookAhead, type Featurise } from '../../pipelines/features/leakage-guard.ts';
import { computeMatchFeatures } from '../../pipelines/features/match-features.ts';
import { matchFeatureNames } from '../../portfolio/project-spec.ts';
import { syntheticMatches } from './synthetic-matches.ts';

const matches = syntheticMatches({ seasons: 3 });
const reference = computeMatchFeatures(matches).rows;
const testDates = reference.filter((row) => row.season === '2015-16').map((row) => row.date);
const guard = (featurise: Featurise) =>
  checkNoLookAhead('demo', matches, featurise(matches).rows, matchFeatureNames, featurise, {
    probeDates: testDates,
    probes: 6,
  });

describe('leakage guard', () => {
  it('passes the pipeline features, which read only earlier match days', () => {
    const report = guard((m) => computeMatchFeatures(m));
    expect(report.probes).toHaveLength(6);
    expect(report.checkedRows).toBeGreaterThan(0);
    expect(report.checkedValues).toBe(report.checkedRows * matchFeatureNames.length);
  });

  it("fails the run, naming project, stage, feature and rows, when a feature reads the row's own result", () => {
    const leaky: Featurise = (m) => {
      const { rows } = computeMatchFeatures(m);
      // A deliberately leaky "form": the match's own goal difference folded into goal_diff_home.
      return {
        rows: rows.map((row) => ({
          ...row,
          features: { ...row.features, goal_diff_home: row.homeGoals - row.awayGoals },
        })),
      };
    };
    expect(() => guard(leaky)).toThrow(
      /E_FEATURE_LEAKAGE|Project "demo", stage leakage-guard: feature\(s\) "goal_diff_home" of matches on \d{4}-\d{2}-\d{2} changed/,
    );
    try {
      guard(leaky);
    } catch (error) {
      expect((error as { code: string }).code).toBe('E_FEATURE_LEAKAGE');
      expect((error as Error).message).toMatch(/Team [A-H]–Team [A-H] goal_diff_home/);
    }
  });

  it('catches a feature computed from the whole season (a final-table rating), not only same-row leaks', () => {
    const seasonTable: Featurise = (m) => {
      const { rows } = computeMatchFeatures(m);
      const points = new Map<string, number>();
      for (const match of m) {
        const key = `${match.season}|${match.homeTeam}`;
        points.set(key, (points.get(key) ?? 0) + (match.homeGoals > match.awayGoals ? 3 : 0));
      }
      return {
        rows: rows.map((row) => ({
          ...row,
          features: { ...row.features, elo_home: points.get(`${row.season}|${row.homeTeam}`) ?? 0 },
        })),
      };
    };
    expect(() => guard(seasonTable)).toThrow(/"elo_home"/);
  });
});

describe('rolling-origin backtest', () => {
  it('trains on every season before N and tests on N, with training always before testing', () => {
    const folds = rollingOriginFolds(reference, 1);
    expect(folds.map((f) => [f.trainSeasons, f.testSeason])).toEqual([
      [['2013-14'], '2014-15'],
      [['2013-14', '2014-15'], '2015-16'],
    ]);
    for (const fold of folds) {
      const lastTrain = reference[fold.train.at(-1)!]!.date;
      expect(fold.test.every((i) => reference[i]!.date > lastTrain)).toBe(true);
      expect(fold.test.length).toBe(56);
    }
    expect(rollingOriginFolds(reference, 2)).toHaveLength(1);
  });
});
