import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { delongAuc } from '../../pipelines/tasks/auc.ts';
import {
  normalCdf,
  normalQuantile,
  poissonCdf,
  poissonQuantile,
} from '../../pipelines/tasks/distributions.ts';
import {
  checkMetricsForTask,
  defaultPrimaryMetric,
  estimateMetric,
  gaussianCrps,
  metricDifference,
  metricRowValues,
  metricsForTask,
  metricValue,
  predictiveInterval,
  skillScore,
  skillScoreOf,
  type TaskMetricId,
  taskMetrics,
} from '../../pipelines/tasks/metrics.ts';
import type { Forecast, Task } from '../../pipelines/tasks/task.ts';
import { MlfolioError } from '../../portfolio/errors.ts';

// Produced by test/tasks/golden/metrics_golden.py (scikit-learn 1.2.1, scipy 1.10.1).
const golden = JSON.parse(readFileSync(new URL('./golden/metrics.json', import.meta.url), 'utf8')) as {
  binary: Record<string, number> & { p1: number[]; y: number[] };
  multiclass: Record<string, number> & { p: number[][]; y: number[] };
  regression: Record<string, number> & { mean: number[]; sd: number[]; y: number[] };
  count: Record<string, number> & { mean: number[]; y: number[] };
  distributions: {
    normal_cdf: [number, number][];
    normal_quantile: [number, number][];
    poisson_cdf: [number, number, number][];
    poisson_quantile: [number, number, number][];
  };
};

const binary: Task = { kind: 'binary', classes: ['no', 'yes'] };
const ordinal: Task = { kind: 'ordinal', classes: ['away', 'draw', 'home'] };
const multiclass: Task = { kind: 'multiclass', classes: ['a', 'b', 'c'] };
const regression: Task = { kind: 'regression' };
const count: Task = { kind: 'count' };

const probabilities = (p: readonly number[]): Forecast => ({ kind: 'probabilities', p });
const gaussian = (mean: number, sd: number): Forecast => ({ kind: 'gaussian', mean, sd });
const poisson = (mean: number): Forecast => ({ kind: 'poisson', mean });

describe('metrics against values worked out by hand', () => {
  const forecasts = [probabilities([0.5, 0.3, 0.2]), probabilities([0.2, 0.3, 0.5])];
  const outcomes = [0, 1];

  it('scores an ordinal forecast by RPS over cumulative probabilities', () => {
    // Row 1: cumulative (0.5, 0.8) vs (1, 1) → (0.25 + 0.04) / 2; row 2: (0.2, 0.5) vs (0, 1) → (0.04 + 0.25) / 2.
    expect(metricValue('rps', ordinal, forecasts, outcomes)).toBeCloseTo(0.145, 12);
    expect(metricRowValues('rps', ordinal, [probabilities([1, 0, 0])], [2])).toEqual([1]);
  });

  it('sums squared errors over classes for a multiclass Brier, and uses the positive class alone for a binary one', () => {
    // 0.25 + 0.09 + 0.04 = 0.38 and 0.04 + 0.49 + 0.25 = 0.78.
    expect(metricValue('brier', multiclass, forecasts, outcomes)).toBeCloseTo(0.58, 12);
    // (0.7 − 1)² = 0.09 and (0.4 − 0)² = 0.16.
    const twoClass = [probabilities([0.3, 0.7]), probabilities([0.6, 0.4])];
    expect(metricValue('brier', binary, twoClass, [1, 0])).toBeCloseTo(0.125, 12);
  });

  it('keeps log loss finite when the outcome was given probability zero', () => {
    expect(metricValue('log_loss', multiclass, [probabilities([1, 0, 0])], [2])).toBeCloseTo(
      -Math.log(1e-15),
      6,
    );
  });

  it('scores a Gaussian forecast by CRPS, which falls to the absolute error as the spread vanishes', () => {
    // At the mean: σ·(2φ(0) − 1/√π) = σ·(√2 − 1)/√π.
    expect(gaussianCrps(10, 2, 10)).toBeCloseTo((2 * (Math.SQRT2 - 1)) / Math.sqrt(Math.PI), 12);
    expect(gaussianCrps(10, 1e-9, 13)).toBeCloseTo(3, 6);
    expect(gaussianCrps(10, 0, 13)).toBe(3);
  });

  it('scores a point mass at the outcome as a perfect Poisson forecast', () => {
    expect(metricValue('crps', count, [poisson(0)], [0])).toBe(0);
    expect(metricValue('poisson_deviance', count, [poisson(3)], [3])).toBeCloseTo(0, 12);
    // y = 0: deviance 2μ.
    expect(metricValue('poisson_deviance', count, [poisson(1.5)], [0])).toBeCloseTo(3, 12);
  });

  it('averages the pinball loss of the 10%, 50% and 90% quantiles', () => {
    // N(0, 1): quantiles ∓1.2816 and 0. At y = 0, above q10 by 1.2816 (weight 0.1) and below q90
    // by 1.2816 (weight 1 − 0.9): (0.1·1.2816 + 0 + 0.1·1.2816) / 3.
    expect(metricValue('pinball', regression, [gaussian(0, 1)], [0])).toBeCloseTo(
      (0.2 * 1.2815515655446004) / 3,
      10,
    );
  });

  it('counts an outcome on the edge of the interval as covered', () => {
    const { upper } = predictiveInterval(gaussian(0, 1), 0.8);
    expect(upper).toBeCloseTo(1.2815515655446004, 12);
    expect(metricValue('coverage_80', regression, [gaussian(0, 1)], [upper])).toBe(1);
    expect(metricValue('coverage_80', regression, [gaussian(0, 1)], [upper + 1e-9])).toBe(0);
  });

  it('computes RMSE as the root of the mean squared error, not the mean of absolute errors', () => {
    const means = [gaussian(0, 1), gaussian(0, 1)];
    expect(metricValue('rmse', regression, means, [3, 4])).toBeCloseTo(Math.sqrt(12.5), 12);
    expect(metricValue('mae', regression, means, [3, 4])).toBe(3.5);
  });

  it('gives AUC one half for a tied positive and negative', () => {
    const scored = [probabilities([0.4, 0.6]), probabilities([0.4, 0.6]), probabilities([0.9, 0.1])];
    // Positive (0.6) beats negative (0.1), ties negative (0.6): (1 + 0.5) / 2.
    expect(metricValue('auc', binary, scored, [1, 0, 0])).toBe(0.75);
  });

  it('refuses to score an empty test set instead of returning NaN', () => {
    expect(() => metricValue('mae', regression, [], [])).toThrow(/at least one row/);
  });

  it('refuses a forecast of the wrong kind for the task', () => {
    expect(() => metricValue('mae', regression, [probabilities([0.5, 0.5])], [1])).toThrow(
      /Gaussian or Poisson/,
    );
    expect(() => metricValue('rps', binary, [probabilities([0.5, 0.5])], [1])).toThrow(
      /does not apply to a binary/,
    );
  });
});

describe('metrics against scikit-learn and scipy', () => {
  const { binary: b, multiclass: m, regression: r, count: c } = golden;
  const binaryForecasts = b.p1.map((p) => probabilities([1 - p, p]));
  const multiForecasts = m.p.map((p) => probabilities(p));
  const regressionForecasts = r.mean.map((mean, i) => gaussian(mean, r.sd[i]!));
  const countForecasts = c.mean.map((mean) => poisson(mean));

  it.each(['log_loss', 'brier', 'accuracy', 'auc'] as const)('binary %s', (id) => {
    expect(metricValue(id, binary, binaryForecasts, b.y)).toBeCloseTo(b[id]!, 12);
  });

  it('binary AUC has DeLong variance from its definition', () => {
    const auc = delongAuc(b.p1, b.y);
    expect(auc.variance).toBeCloseTo(b.auc_delong_variance!, 14);
    expect(auc.lower).toBeCloseTo(b.auc! - 1.959963984540054 * Math.sqrt(b.auc_delong_variance!), 12);
  });

  it.each(['log_loss', 'brier', 'accuracy'] as const)('multiclass %s', (id) => {
    expect(metricValue(id, multiclass, multiForecasts, m.y)).toBeCloseTo(m[id]!, 12);
  });

  it('ordinal RPS', () => {
    expect(metricValue('rps', ordinal, multiForecasts, m.y)).toBeCloseTo(m.rps!, 12);
  });

  it.each(['mae', 'rmse', 'crps', 'pinball', 'coverage_80', 'coverage_95'] as const)(
    'regression %s',
    (id) => {
      // CRPS is compared with scipy's numerical integral, good to about 1e-10.
      expect(metricValue(id, regression, regressionForecasts, r.y)).toBeCloseTo(
        r[id]!,
        id === 'crps' ? 9 : 11,
      );
    },
  );

  it.each(['poisson_deviance', 'mae', 'rmse', 'crps', 'pinball', 'coverage_80', 'coverage_95'] as const)(
    'count %s',
    (id) => {
      expect(metricValue(id, count, countForecasts, c.y)).toBeCloseTo(c[id]!, 10);
    },
  );

  it('normal and Poisson distribution functions and quantiles', () => {
    const d = golden.distributions;
    for (const [z, p] of d.normal_cdf) expect(Math.abs(normalCdf(z) - p)).toBeLessThan(1e-15 + 1e-13 * p);
    for (const [p, z] of d.normal_quantile) expect(normalQuantile(p)).toBeCloseTo(z, 11);
    for (const [k, mean, p] of d.poisson_cdf) expect(poissonCdf(k, mean)).toBeCloseTo(p, 12);
    for (const [p, mean, k] of d.poisson_quantile) expect(poissonQuantile(p, mean)).toBe(k);
  });
});

describe('intervals, differences and skill', () => {
  const task = regression;
  const outcomes = Array.from({ length: 200 }, (_, i) => Math.sin(i) * 10 + (i % 7));
  const good = outcomes.map((y, i) => gaussian(y + Math.cos(i * 3), 2));
  const poor = outcomes.map(() => gaussian(3, 8));

  it('gives each metric an interval around its value, the same for the same seed', () => {
    for (const id of ['mae', 'rmse', 'crps'] as const) {
      const estimate = estimateMetric(id, task, good, outcomes, { seed: 7 });
      expect(estimate.value).toBeCloseTo(metricValue(id, task, good, outcomes), 12);
      expect(estimate.lower).toBeLessThan(estimate.value);
      expect(estimate.upper).toBeGreaterThan(estimate.value);
      expect(estimateMetric(id, task, good, outcomes, { seed: 7 })).toEqual(estimate);
    }
  });

  it('uses the DeLong interval for AUC', () => {
    const { p1, y } = golden.binary;
    const estimate = estimateMetric(
      'auc',
      binary,
      p1.map((p) => probabilities([1 - p, p])),
      y,
      { seed: 1 },
    );
    const delong = delongAuc(p1, y);
    expect(estimate).toEqual({ value: delong.value, lower: delong.lower, upper: delong.upper });
  });

  it('gives a paired difference whose interval excludes zero when one model is clearly better', () => {
    const difference = metricDifference('crps', task, good, poor, outcomes, { seed: 3 });
    expect(difference.value).toBeCloseTo(
      metricValue('crps', task, good, outcomes) - metricValue('crps', task, poor, outcomes),
      12,
    );
    expect(difference.upper).toBeLessThan(0);
  });

  it('measures skill as the share of the reference gap to perfect that a model closes', () => {
    expect(skillScoreOf('crps', 0.5, 2)).toBe(0.75);
    expect(skillScoreOf('crps', 3, 2)).toBe(-0.5);
    // Accuracy: perfect is 1, so from 0.5 to 0.75 closes half the gap.
    expect(skillScoreOf('accuracy', 0.75, 0.5)).toBe(0.5);
    const skill = skillScore('crps', task, good, poor, outcomes, { seed: 3 });
    const expected =
      1 - metricValue('crps', task, good, outcomes) / metricValue('crps', task, poor, outcomes);
    expect(skill.value).toBeCloseTo(expected, 12);
    expect(skill.lower).toBeGreaterThan(0);
    expect(skill.upper).toBeLessThan(1);
    expect(() => skillScoreOf('coverage_80', 0.8, 0.7)).toThrow(/no skill score/);
  });
});

describe('which metrics a task allows', () => {
  it('lists proper scores for every task and names a proper primary by default', () => {
    for (const kind of ['binary', 'multiclass', 'ordinal', 'regression', 'count'] as const) {
      const ids = metricsForTask(kind).map((metric) => metric.id);
      expect(ids.some((id) => taskMetrics[id].proper)).toBe(true);
      const primary = defaultPrimaryMetric(kind);
      expect(ids).toContain(primary);
      expect(taskMetrics[primary].proper).toBe(true);
    }
    expect(metricsForTask('ordinal').map((metric) => metric.id)).toEqual([
      'log_loss',
      'brier',
      'rps',
      'accuracy',
    ]);
    expect(metricsForTask('count').map((metric) => metric.id)).toContain('poisson_deviance');
  });

  it('accepts the metrics a task allows and returns them typed', () => {
    const ids: TaskMetricId[] = checkMetricsForTask(
      regression,
      ['crps', 'mae'],
      'projects/x/project.yaml: metrics',
    );
    expect(ids).toEqual(['crps', 'mae']);
  });

  it('rejects a misspelt metric with the nearest valid name, the file and the field', () => {
    const error = catchError(() =>
      checkMetricsForTask(count, ['poisson_deviance', 'poison_deviance'], 'projects/x/project.yaml: metrics'),
    );
    expect(error.code).toBe('E_METRIC_INVALID');
    expect(error.message).toContain('projects/x/project.yaml: metrics[1]');
    expect(error.message).toContain('"poison_deviance" is not a metric');
    expect(error.hint).toContain('Did you mean "poisson_deviance"?');
  });

  it('rejects a metric of another task, saying which task it does not fit', () => {
    const error = catchError(() => checkMetricsForTask(regression, ['rps'], 'project.yaml: metrics'));
    expect(error.message).toContain('"rps" does not apply to a regression task');
    expect(error.hint).toContain('crps');
  });

  it('rejects a secondary metric as the primary one', () => {
    const error = catchError(() =>
      checkMetricsForTask(binary, ['accuracy'], 'project.yaml: primaryMetric', { primary: true }),
    );
    expect(error.message).toContain('cannot rank models');
    expect(error.hint).not.toContain('accuracy');
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
