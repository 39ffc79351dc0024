import { describe, expect, test } from 'vitest';
import { forecastsOf, rowsAfter, rowsIn } from '../../operations/task-rows.ts';
import type { EngineRows } from '../../pipelines/engine/run-engine.ts';
import type { PersistenceArtifact } from '../../pipelines/tasks/models/baselines.ts';
import { MlfolioError } from '../../portfolio/errors.ts';

const lastSeason = (feature: string): PersistenceArtifact => ({
  kind: 'persistence',
  featureNames: [feature],
  task: 'regression',
  sd: 5,
});

// Numbered seasons that sort differently as text (999 < 1000) and as numbers.
const rows: EngineRows = {
  task: { kind: 'regression' },
  targetLabel: 'wins',
  featureNames: ['wins_this_season'],
  ids: ['0', '1', '2', '3'],
  times: ['998', '999', '1000', '1001'],
  seasons: ['998', '999', '1000', '1001'],
  outcomes: [80, 90, 85, 70],
  x: [[81], [80], [90], [85]],
  slices: {},
  leftOut: {},
};

describe("a project's current rows", () => {
  test('are picked by recorded period and after a time in season order, not text order', () => {
    expect(rowsIn(rows, { seasons: ['999', '1000'], from: '999', to: '1000', rows: 2 })).toEqual([1, 2]);
    expect(rowsAfter(rows, '999')).toEqual([2, 3]);
    expect(rowsAfter(rows, '1001')).toEqual([]);
  });

  test('are forecast by a model that reads its features', () => {
    const persistence = lastSeason('wins_this_season');
    expect(forecastsOf(persistence, rows, [3], { slug: 'p', model: 'last' })).toEqual([
      { kind: 'gaussian', mean: 85, sd: 5 },
    ]);
  });

  test('refuse a model that reads a feature the project no longer outputs, naming it', () => {
    const persistence = lastSeason('wins_last_season');
    const error = (() => {
      try {
        return forecastsOf(persistence, rows, [0], { slug: 'p', model: 'last' });
      } catch (e) {
        return e;
      }
    })() as MlfolioError;
    expect(error).toBeInstanceOf(MlfolioError);
    expect(error.code).toBe('E_MODEL_FEATURES_MISSING');
    expect(error.message).toBe(
      'Project "p": model last reads feature(s) wins_last_season, which the project\'s feature views no longer output.',
    );
  });
});
