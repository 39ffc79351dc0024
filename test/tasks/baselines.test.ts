import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipelines/random.ts';
import {
  forecastBaseline,
  forecastPersistence,
  forecastRating,
} from '../../pipelines/tasks/models/baseline-forecast.ts';
import {
  baselineArtifactSchema,
  fitBaseline,
  fitClassPrior,
  fitMean,
  fitMeanRate,
  fitMedian,
  fitPersistence,
  fitRating,
} from '../../pipelines/tasks/models/baselines.ts';
import { fitLogisticRegression, fitOrdinalLogit, fitRidge } from '../../pipelines/tasks/models/linear.ts';
import type { Task, TrainingSet } from '../../pipelines/tasks/task.ts';
import { MlfolioError } from '../../portfolio/errors.ts';

const regression: Task = { kind: 'regression' };
const count: Task = { kind: 'count' };
const ordinal: Task = { kind: 'ordinal', classes: ['away', 'draw', 'home'] };
const binary: Task = { kind: 'binary', classes: ['no', 'yes'] };

// Five team seasons: last season's wins, a formula feature, and this season's wins.
const seasons: TrainingSet = {
  featureNames: ['wins_last', 'pythagorean'],
  rows: [
    [90, 88],
    [70, 74],
    [81, 80],
    [100, 95],
    [62, 66],
  ],
  outcomes: [86, 75, 80, 94, 65],
};

describe('baselines worked out by hand', () => {
  it('class prior gives the smoothed training frequencies to every row', () => {
    const data = { featureNames: [], rows: [[], [], [], []], outcomes: [2, 2, 0, 2] };
    // Counts 1, 0, 3 plus 0.5 each over 5.5.
    expect(fitClassPrior(ordinal, data).probabilities).toEqual([1.5 / 5.5, 0.5 / 5.5, 3.5 / 5.5]);
    expect(fitClassPrior(ordinal, data, { smoothing: 0 }).probabilities).toEqual([0.25, 0, 0.75]);
  });

  it('mean forecasts N(mean, sample sd²)', () => {
    // Mean 80; deviations 6, −5, 0, 14, −15; Σ² = 482; sd = √(482/4).
    const fit = fitMean(regression, seasons);
    expect(fit.mean).toBe(80);
    expect(fit.sd).toBeCloseTo(Math.sqrt(482 / 4), 12);
    expect(forecastBaseline(fit, [])).toEqual({ kind: 'gaussian', mean: 80, sd: fit.sd });
  });

  it('median forecasts the middle outcome with the RMS deviation from it', () => {
    const fit = fitMedian(regression, {
      featureNames: [],
      rows: [[], [], [], [], [], []],
      outcomes: [86, 75, 80, 94, 65, 81],
    });
    // Sorted 65 75 80 81 86 94 → 80.5; deviations 5.5 −5.5 −0.5 13.5 −15.5 0.5.
    expect(fit.median).toBe(80.5);
    expect(fit.sd).toBeCloseTo(Math.sqrt((30.25 * 2 + 0.25 * 2 + 182.25 + 240.25) / 5), 12);
  });

  it('mean rate forecasts a Poisson with the training mean', () => {
    expect(forecastBaseline(fitMeanRate(count, { ...seasons, outcomes: [3, 0, 4, 1, 2] }), [])).toEqual({
      kind: 'poisson',
      mean: 2,
    });
  });

  it("persistence forecasts the declared feature's value with the RMS training error as sd", () => {
    const fit = fitPersistence(regression, seasons, { feature: 'wins_last' });
    // Errors 4, 5, 1, 6, 3: RMS √(87/5).
    expect(fit.featureNames).toEqual(['wins_last']);
    expect(fit.sd).toBeCloseTo(Math.sqrt(87 / 5), 12);
    expect(forecastPersistence(fit, [77])).toEqual({ kind: 'gaussian', mean: 77, sd: fit.sd });
    const formula = fitPersistence(regression, seasons, { feature: 'pythagorean' });
    // Errors 2, 1, 0, 1, 1.
    expect(formula.sd).toBeCloseTo(Math.sqrt(7 / 5), 12);
  });

  it('persistence of a count floors a zero value so it still scores finitely', () => {
    const fit = fitPersistence(
      count,
      { ...seasons, outcomes: [85, 75, 80, 94, 65] },
      { feature: 'wins_last' },
    );
    expect(forecastPersistence(fit, [0])).toEqual({ kind: 'poisson', mean: 1e-6 });
    expect(forecastPersistence(fit, [12])).toEqual({ kind: 'poisson', mean: 12 });
  });
});

describe('the single-feature rating model', () => {
  // Pairwise events: the stronger side (positive difference) wins more often.
  const random = seededRandom(42);
  const difference = Array.from({ length: 600 }, () => (random() - 0.5) * 600);
  const latent = difference.map((d) => d / 150 + Math.log(random() / (1 - random())));
  const events: TrainingSet = {
    featureNames: ['form', 'rating_diff'],
    rows: difference.map((d) => [random(), d]),
    outcomes: latent.map((z) => (z < -0.4 ? 0 : z < 0.4 ? 1 : 2)),
  };
  const column: TrainingSet = { ...events, featureNames: ['rating_diff'], rows: difference.map((d) => [d]) };

  it('is an unpenalised ordinal logit on the declared feature for an ordinal task', () => {
    const rating = fitRating(ordinal, events, { feature: 'rating_diff' });
    expect(rating.featureNames).toEqual(['rating_diff']);
    expect(rating.model).toEqual(fitOrdinalLogit(ordinal, column, { l2: 0 }));
    const [low, high] = (rating.model as { thresholds: number[] }).thresholds;
    expect(low!).toBeLessThan(high!);
    // The slope per unit of difference recovers the simulated 1/150 within sampling error.
    const slope = (rating.model as { weights: number[] }).weights[0]! / rating.model.standardisation.std[0]!;
    expect(slope).toBeGreaterThan(1 / 300);
    expect(slope).toBeLessThan(1 / 100);
    const stronger = forecastRating(rating, [200]);
    const weaker = forecastRating(rating, [-200]);
    if (stronger.kind !== 'probabilities' || weaker.kind !== 'probabilities')
      throw new Error('expected probabilities');
    expect(stronger.p[2]!).toBeGreaterThan(weaker.p[2]!);
  });

  it('is a logistic model for a binary task and least squares for a regression task', () => {
    const wins = events.outcomes.map((y) => (y === 2 ? 1 : 0));
    expect(fitRating(binary, { ...events, outcomes: wins }, { feature: 'rating_diff' }).model).toEqual(
      fitLogisticRegression(binary, { ...column, outcomes: wins }, { l2: 0 }),
    );
    const margin = latent.map((z) => z * 3);
    expect(fitRating(regression, { ...events, outcomes: margin }, { feature: 'rating_diff' }).model).toEqual(
      fitRidge(regression, { ...column, outcomes: margin }, { l2: 0 }),
    );
  });

  it('is an unpenalised multinomial logit for a multiclass task, with the last class as reference', () => {
    const multiclass: Task = { kind: 'multiclass', classes: ['away', 'draw', 'home'] };
    const rating = fitRating(multiclass, events, { feature: 'rating_diff' });
    expect((rating.model as { weights: number[][] }).weights[2]).toEqual([0]);
    const forecast = forecastRating(rating, [150]);
    if (forecast.kind !== 'probabilities') throw new Error('expected probabilities');
    expect(forecast.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(forecast.p[2]!).toBeGreaterThan(forecast.p[0]!);
  });

  it('names the nearest feature when the declared one is not in the training set', () => {
    const error = catchError(() => fitRating(ordinal, events, { feature: 'ratingdiff' }));
    expect(error.code).toBe('E_MODEL_FEATURE_UNKNOWN');
    expect(error.message).toContain('feature "ratingdiff" is not in the training set');
    expect(error.hint).toContain('Did you mean "rating_diff"?');
  });
});

describe('baseline artifacts and errors', () => {
  it('saves and loads every baseline kind through its schema', () => {
    const artifacts = [
      fitBaseline('class-prior', ordinal, { ...seasons, outcomes: [0, 1, 2, 2, 1] }),
      fitBaseline('mean', regression, seasons),
      fitBaseline('median', regression, seasons),
      fitBaseline('mean-rate', count, seasons),
      fitBaseline('persistence', regression, seasons, { feature: 'pythagorean' }),
      fitBaseline('rating', regression, seasons, { feature: 'wins_last' }),
    ];
    for (const artifact of artifacts) {
      const loaded = baselineArtifactSchema.parse(JSON.parse(JSON.stringify(artifact)));
      expect(loaded).toEqual(artifact);
      const row = artifact.featureNames.map((name) => (name === 'wins_last' ? 88 : 85));
      expect(forecastBaseline(loaded, row)).toEqual(forecastBaseline(artifact, row));
    }
  });

  it('refuses a baseline of another task', () => {
    const error = catchError(() => fitMean(binary, { ...seasons, outcomes: [0, 1, 1, 0, 1] }));
    expect(error.code).toBe('E_MODEL_TASK_MISMATCH');
    expect(error.message).toBe('mean cannot fit a binary task; it fits regression.');
  });

  it('refuses a persistence baseline without its feature, and unknown params', () => {
    expect(catchError(() => fitBaseline('persistence', regression, seasons, {})).code).toBe(
      'E_MODEL_PARAMS_INVALID',
    );
    const error = catchError(() => fitBaseline('class-prior', binary, seasons, { smooth: 1 }));
    expect(error.code).toBe('E_MODEL_PARAMS_INVALID');
    expect(error.message).toContain('smooth');
  });

  it('refuses an empty training set', () => {
    const error = catchError(() => fitMean(regression, { featureNames: [], rows: [], outcomes: [] }));
    expect(error.code).toBe('E_TRAINING_SET_INVALID');
    expect(error.message).toBe('mean: the training set has no rows.');
  });
});

function catchError(action: () => unknown): MlfolioError {
  try {
    action();
  } catch (error) {
    if (error instanceof MlfolioError) return error;
    throw error;
  }
  throw new Error('Expected an MlfolioError, but nothing was thrown.');
}
