import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fitLinear,
  fitLogisticRegression,
  fitMultinomialLogit,
  fitOrdinalLogit,
  fitPoissonGlm,
  fitRidge,
  type LinearKind,
  linearArtifactSchema,
} from '../../pipelines/tasks/models/linear.ts';
import {
  forecastLinear,
  forecastMultinomialLogit,
  forecastOrdinalLogit,
} from '../../pipelines/tasks/models/linear-forecast.ts';
import type { Task, TrainingSet } from '../../pipelines/tasks/task.ts';
import { MlfolioError } from '../../portfolio/errors.ts';

// Produced by test/tasks/golden/linear_golden.py (scikit-learn 1.2.1, scipy 1.10.1): the rows,
// each task's outcomes, and the reference fits with the same penalty.
const golden = JSON.parse(readFileSync(new URL('./golden/linear.json', import.meta.url), 'utf8')) as {
  l2: number;
  rows: number[][];
  binary: { y: number[]; weights: number[]; intercept: number };
  multinomial: { y: number[]; weights: number[][]; probabilities: number[][] };
  ordinal: { y: number[]; weights: number[]; thresholds: number[] };
  ridge: { y: number[]; weights: number[]; intercept: number; sd: number };
  poisson: { y: number[]; weights: number[]; intercept: number };
};
const featureNames = ['rating', 'share', 'rest_days'];
const set = (outcomes: number[]): TrainingSet => ({ featureNames, rows: golden.rows, outcomes });
const params = { l2: golden.l2 };

const binary: Task = { kind: 'binary', classes: ['loss', 'win'] };
const multiclass: Task = { kind: 'multiclass', classes: ['a', 'b', 'c'] };
const ordinal: Task = { kind: 'ordinal', classes: ['low', 'mid', 'high'] };
const regression: Task = { kind: 'regression' };
const count: Task = { kind: 'count' };

function expectClose(actual: readonly number[], expected: readonly number[], digits: number) {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((value, i) => {
    expect(value).toBeCloseTo(expected[i]!, digits);
  });
}

describe('linear models against scikit-learn and scipy on the same rows and penalty', () => {
  it('binary logistic regression matches LogisticRegression', () => {
    const fit = fitLogisticRegression(binary, set(golden.binary.y), params);
    expectClose(fit.weights, golden.binary.weights, 6);
    expect(fit.intercept).toBeCloseTo(golden.binary.intercept, 6);
  });

  it("multinomial logit matches LogisticRegression(multi_class='multinomial')", () => {
    const fit = fitMultinomialLogit(multiclass, set(golden.multinomial.y), params);
    fit.weights.forEach((w, k) => {
      expectClose(w, golden.multinomial.weights[k]!, 6);
    });
    golden.multinomial.probabilities.forEach((p, i) => {
      const forecast = forecastMultinomialLogit(fit, golden.rows[i]!);
      expect(forecast.kind).toBe('probabilities');
      if (forecast.kind === 'probabilities') expectClose(forecast.p, p, 7);
    });
  });

  it('ordinal logit matches the same likelihood minimised by scipy, with ordered thresholds', () => {
    const fit = fitOrdinalLogit(ordinal, set(golden.ordinal.y), params);
    expectClose(fit.weights, golden.ordinal.weights, 5);
    expectClose(fit.thresholds, golden.ordinal.thresholds, 5);
    expect(fit.thresholds[0]!).toBeLessThan(fit.thresholds[1]!);
    const forecast = forecastOrdinalLogit(fit, golden.rows[0]!);
    if (forecast.kind !== 'probabilities') throw new Error('expected probabilities');
    expect(forecast.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(Math.min(...forecast.p)).toBeGreaterThan(0);
  });

  it('ridge matches Ridge, and its sd is the residual sd corrected by the hat matrix trace', () => {
    const fit = fitRidge(regression, set(golden.ridge.y), params);
    expectClose(fit.weights, golden.ridge.weights, 8);
    expect(fit.intercept).toBeCloseTo(golden.ridge.intercept, 8);
    expect(fit.sd).toBeCloseTo(golden.ridge.sd, 8);
  });

  it('Poisson GLM matches PoissonRegressor', () => {
    const fit = fitPoissonGlm(count, set(golden.poisson.y), params);
    expectClose(fit.weights, golden.poisson.weights, 7);
    expect(fit.intercept).toBeCloseTo(golden.poisson.intercept, 7);
  });
});

describe('linear model artifacts', () => {
  const cases: [LinearKind, Task, number[]][] = [
    ['logistic-regression', binary, golden.binary.y],
    ['multinomial-logit', multiclass, golden.multinomial.y],
    ['ordinal-logit', ordinal, golden.ordinal.y],
    ['ridge', regression, golden.ridge.y],
    ['poisson-glm', count, golden.poisson.y],
  ];

  it.each(cases)(
    '%s fits the same artifact twice and forecasts the same after a JSON round trip',
    (kind, task, y) => {
      const fit = fitLinear(kind, task, set(y), params, 1);
      expect(fitLinear(kind, task, set(y), params, 2)).toEqual(fit);
      const loaded = linearArtifactSchema.parse(JSON.parse(JSON.stringify(fit)));
      for (const row of golden.rows.slice(0, 10))
        expect(forecastLinear(loaded, row)).toEqual(forecastLinear(fit, row));
    },
  );

  it('multinomial logit on two classes is logistic regression when neither is penalised', () => {
    const data = set(golden.binary.y);
    const multinomial = fitMultinomialLogit(binary, data, { l2: 0 });
    const logistic = fitLogisticRegression(binary, data, { l2: 0 });
    for (const row of golden.rows.slice(0, 20)) {
      const a = forecastLinear(multinomial, row);
      const b = forecastLinear(logistic, row);
      if (a.kind !== 'probabilities' || b.kind !== 'probabilities') throw new Error('expected probabilities');
      expectClose(a.p, b.p, 10);
    }
  });

  it('keeps ordinal thresholds ordered when the middle class is rare', () => {
    // Keep one middle-class row in fifty.
    const outcomes = golden.ordinal.y.map((y, i) => (y === 1 && i % 50 !== 0 ? 2 : y));
    const fit = fitOrdinalLogit(ordinal, set(outcomes), params);
    expect(fit.thresholds[1]! - fit.thresholds[0]!).toBeGreaterThan(0);
    const forecast = forecastOrdinalLogit(fit, golden.rows[3]!);
    if (forecast.kind !== 'probabilities') throw new Error('expected probabilities');
    expect(forecast.p[1]!).toBeGreaterThan(0);
    expect(forecast.p[1]!).toBeLessThan(0.1);
  });

  it('rejects a saved artifact with a missing field', () => {
    const fit = fitRidge(regression, set(golden.ridge.y), params);
    const { sd: _sd, ...broken } = fit;
    expect(linearArtifactSchema.safeParse(broken).success).toBe(false);
  });
});

describe('linear models refuse what they cannot fit, saying what to do', () => {
  it('names a constant feature when an unpenalised fit is singular', () => {
    const rows = golden.rows.map((row) => [row[0]!, 7]);
    const error = catchError(() =>
      fitRidge(regression, { featureNames: ['rating', 'venue'], rows, outcomes: golden.ridge.y }, { l2: 0 }),
    );
    expect(error.code).toBe('E_MODEL_SINGULAR');
    expect(error.message).toContain('ridge (regression)');
    expect(error.hint).toContain('"venue"');
  });

  it('says a feature is a copy of another when an unpenalised fit is singular', () => {
    const rows = golden.rows.map((row) => [row[0]!, row[0]! * 2 + 1]);
    const error = catchError(() =>
      fitLogisticRegression(binary, { featureNames: ['a', 'b'], rows, outcomes: golden.binary.y }, { l2: 0 }),
    );
    expect(error.code).toBe('E_MODEL_SINGULAR');
    expect(error.hint).toMatch(/linear combinations/);
  });

  it('stops with a clear error when perfectly separable classes make the weights diverge', () => {
    const rows = golden.rows.map((row) => [row[1]!]);
    const outcomes = rows.map(([share]) => (share! > 0.5 ? 1 : 0));
    const error = catchError(() =>
      fitLogisticRegression(
        binary,
        { featureNames: ['share'], rows, outcomes },
        { l2: 0, maxIterations: 30 },
      ),
    );
    expect(['E_MODEL_NOT_CONVERGED', 'E_MODEL_SINGULAR']).toContain(error.code);
    expect(error.message).toContain('logistic-regression (binary)');
    expect(error.hint).toMatch(/l2/);
    // The same rows fit with the default penalty.
    expect(() => fitLogisticRegression(binary, { featureNames: ['share'], rows, outcomes })).not.toThrow();
  });

  it('refuses a task the model is not made for', () => {
    const error = catchError(() => fitRidge(binary, set(golden.binary.y)));
    expect(error.code).toBe('E_MODEL_TASK_MISMATCH');
    expect(error.message).toBe('ridge cannot fit a binary task; it fits regression.');
  });

  it('refuses a class with no training rows, naming it', () => {
    const outcomes = golden.ordinal.y.map((y) => (y === 1 ? 0 : y));
    const error = catchError(() => fitOrdinalLogit(ordinal, set(outcomes)));
    expect(error.code).toBe('E_MODEL_CLASS_MISSING');
    expect(error.message).toContain('class "mid" has no training rows');
  });

  it('refuses outcomes that do not fit the task, naming the row', () => {
    const outcomes = golden.poisson.y.map((y, i) => (i === 4 ? 2.5 : y));
    const error = catchError(() => fitPoissonGlm(count, set(outcomes)));
    expect(error.code).toBe('E_TRAINING_SET_INVALID');
    expect(error.message).toContain(
      'the outcome of row 4 is 2.5, but a count task needs a non-negative integer',
    );
  });

  it('refuses a missing feature value, naming the feature and row', () => {
    const rows = golden.rows.map((row, i) => (i === 9 ? [row[0]!, Number.NaN, row[2]!] : row));
    const error = catchError(() => fitRidge(regression, { featureNames, rows, outcomes: golden.ridge.y }));
    expect(error.message).toContain('feature "share" is NaN in row 9');
  });

  it('rejects unknown params', () => {
    const error = catchError(() => fitRidge(regression, set(golden.ridge.y), { lambda: 1 } as never));
    expect(error.code).toBe('E_MODEL_PARAMS_INVALID');
    expect(error.message).toContain('lambda');
  });
});

describe('prediction code stays bundleable for the browser demo', () => {
  it('imports nothing from Node in the model and metric files or what they import', () => {
    const seen = new Set<string>();
    const visit = (url: URL) => {
      if (seen.has(url.href)) return;
      seen.add(url.href);
      const source = readFileSync(url, 'utf8');
      expect(source, url.pathname).not.toMatch(/from 'node:/);
      for (const [, path] of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) visit(new URL(path!, url));
    };
    for (const file of ['models/linear.ts', 'models/baselines.ts', 'distributions.ts']) {
      visit(new URL(`../../pipelines/tasks/${file}`, import.meta.url));
    }
    expect(seen.size).toBeGreaterThan(5);
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
