import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipelines/random.ts';
import {
  gradientBoostingArtifactSchema,
  gradientBoostingParamsSchema,
} from '../../pipelines/tasks/models/gradient-boosting.ts';
import { fitGradientBoosting } from '../../pipelines/tasks/models/gradient-boosting-fit.ts';
import { forecastGradientBoosting } from '../../pipelines/tasks/models/gradient-boosting-forecast.ts';
import type { Forecast, Task, TrainingSet } from '../../pipelines/tasks/task.ts';

/** Knuth's Poisson sampler: fine for the small rates used here. */
function poisson(rate: number, random: () => number): number {
  const limit = Math.exp(-rate);
  let k = 0;
  let product = random();
  while (product > limit) {
    k++;
    product *= random();
  }
  return k;
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** n rows of three uniform features on [0, 1); the outcome is drawn from `draw(row)`. */
function synthetic(
  n: number,
  seed: number,
  draw: (row: number[], random: () => number) => number,
): TrainingSet {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, () => [random(), random(), random()]);
  return { featureNames: ['x0', 'x1', 'noise'], rows, outcomes: rows.map((row) => draw(row, random)) };
}

const classProbabilities = (row: number[]): number[] => {
  const s = 3 * (row[0]! - 0.5) + 2 * (row[1]! > 0.6 ? 1 : -1) * 0.5;
  const e = [Math.exp(s), 1, Math.exp(-s)];
  const total = e[0]! + e[1]! + e[2]!;
  return e.map((v) => v / total);
};
const drawClass = (row: number[], random: () => number): number => {
  const p = classProbabilities(row);
  const u = random();
  return u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
};

const tasks: { task: Task; data: TrainingSet }[] = [
  {
    task: { kind: 'binary', classes: ['lose', 'win'] },
    data: synthetic(1500, 1, (row, random) => (random() < 1 / (1 + Math.exp(-4 * (row[0]! - 0.5))) ? 1 : 0)),
  },
  { task: { kind: 'multiclass', classes: ['H', 'D', 'A'] }, data: synthetic(1500, 2, drawClass) },
  { task: { kind: 'ordinal', classes: ['A', 'D', 'H'] }, data: synthetic(1500, 3, drawClass) },
  {
    task: { kind: 'regression' },
    data: synthetic(1500, 4, (row, random) => 10 * row[0]! + 0.5 * normal(random)),
  },
  {
    task: { kind: 'count' },
    data: synthetic(1500, 5, (row, random) => poisson(Math.exp(2 * row[1]!), random)),
  },
];

function checkValid(forecast: Forecast, task: Task): void {
  switch (forecast.kind) {
    case 'probabilities': {
      expect(forecast.p).toHaveLength('classes' in task ? task.classes.length : 0);
      for (const p of forecast.p) expect(p).toBeGreaterThanOrEqual(0);
      expect(forecast.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      break;
    }
    case 'gaussian':
      expect(task.kind).toBe('regression');
      expect(forecast.sd).toBeGreaterThan(0);
      expect(Number.isFinite(forecast.mean)).toBe(true);
      break;
    case 'poisson':
      expect(task.kind).toBe('count');
      expect(forecast.mean).toBeGreaterThanOrEqual(0);
      break;
  }
}

describe('gradient-boosted trees', () => {
  it('recover a step function and measure the noise around it (regression)', () => {
    const data = synthetic(5000, 11, (row, random) => (row[0]! > 0.3 ? 5 : 1) + 0.2 * normal(random));
    const artifact = fitGradientBoosting({ kind: 'regression' }, data, { rounds: 100, maxLeaves: 4 }, 1);
    for (const [x0, expected] of [
      [0.1, 1],
      [0.25, 1],
      [0.35, 5],
      [0.9, 5],
    ] as const) {
      const forecast = forecastGradientBoosting(artifact, [x0, 0.5, 0.5]);
      expect(forecast.kind).toBe('gaussian');
      if (forecast.kind === 'gaussian') expect(forecast.mean).toBeCloseTo(expected, 0);
    }
    // The sd is measured on held-back rows, so it matches the error on fresh rows, not the training fit's.
    const fresh = synthetic(2000, 12, (row, random) => (row[0]! > 0.3 ? 5 : 1) + 0.2 * normal(random));
    let squared = 0;
    fresh.rows.forEach((row, i) => {
      const forecast = forecastGradientBoosting(artifact, row);
      if (forecast.kind === 'gaussian') squared += (forecast.mean - fresh.outcomes[i]!) ** 2;
    });
    const rmse = Math.sqrt(squared / fresh.rows.length);
    expect(rmse).toBeGreaterThan(0.19);
    expect(Math.abs(artifact.sd! - rmse) / rmse).toBeLessThan(0.15);
    expect(artifact.training.heldBackRows).toBe(1000);
  });

  it("keep rows outside each round's subsample up to date, so subsampled boosting still converges", () => {
    const data = synthetic(3000, 13, (row, random) => (row[0]! > 0.3 ? 5 : 1) + 0.2 * normal(random));
    const artifact = fitGradientBoosting(
      { kind: 'regression' },
      data,
      { rounds: 150, maxLeaves: 4, subsample: 0.5 },
      2,
    );
    // Stale scores on unsampled rows would keep their gradients large and the ensemble would overshoot.
    for (const [x0, expected] of [
      [0.1, 1],
      [0.9, 5],
    ] as const) {
      const forecast = forecastGradientBoosting(artifact, [x0, 0.5, 0.5]);
      if (forecast.kind === 'gaussian') expect(Math.abs(forecast.mean - expected)).toBeLessThan(0.1);
      else expect.unreachable('a regression artifact forecasts a Gaussian');
    }
  });

  it('recover ordinal probabilities from a latent logistic model with the cumulative logit', () => {
    const cuts = [-1, 1.2];
    const latent = (row: readonly number[]) => 4 * (row[0]! - 0.5);
    const truth = (row: readonly number[]) => {
      const below = cuts.map((c) => 1 / (1 + Math.exp(-(c - latent(row)))));
      return [below[0]!, below[1]! - below[0]!, 1 - below[1]!];
    };
    const data = synthetic(6000, 14, (row, random) => {
      const p = truth(row);
      const u = random();
      return u < p[0]! ? 0 : u < p[0]! + p[1]! ? 1 : 2;
    });
    const task: Task = { kind: 'ordinal', classes: ['low', 'mid', 'high'] };
    const artifact = fitGradientBoosting(task, data, { rounds: 150, maxLeaves: 4, minLeafRows: 100 }, 1);
    expect(artifact.training.loss).toBe('cumulative-logit');
    expect(artifact.trees[0]).toHaveLength(1);
    for (const x0 of [0.1, 0.5, 0.9]) {
      const forecast = forecastGradientBoosting(artifact, [x0, 0.5, 0.5]);
      expect(forecast.kind).toBe('probabilities');
      const p = forecast.kind === 'probabilities' ? forecast.p : [];
      const expected = truth([x0]);
      for (let k = 0; k < 3; k++) expect(Math.abs(p[k]! - expected[k]!)).toBeLessThan(0.05);
    }
    const softmax = fitGradientBoosting(task, data, { rounds: 10, ordinalLoss: 'softmax' }, 1);
    expect(softmax.trees[0]).toHaveLength(3);
    expect(softmax.thresholds).toBeUndefined();
  });

  it('recover a Poisson rate that steps with a feature (count, log link)', () => {
    const rate = (row: readonly number[]) => (row[1]! > 0.5 ? 6 : 1.5);
    const data = synthetic(4000, 12, (row, random) => poisson(rate(row), random));
    const artifact = fitGradientBoosting(
      { kind: 'count' },
      data,
      { rounds: 100, maxLeaves: 4, minLeafRows: 100 },
      1,
    );
    for (const x1 of [0.1, 0.4, 0.6, 0.95]) {
      const forecast = forecastGradientBoosting(artifact, [0.5, x1, 0.5]);
      expect(forecast.kind).toBe('poisson');
      if (forecast.kind === 'poisson') {
        expect(Math.abs(forecast.mean - rate([0, x1])) / rate([0, x1])).toBeLessThan(0.1);
      }
    }
  });

  for (const { task, data } of tasks) {
    it(`return valid ${task.kind} forecasts that beat the constant model on fresh rows`, () => {
      const artifact = fitGradientBoosting(task, data, { rounds: 60, maxDepth: 3, subsample: 0.8 }, 3);
      const fresh = synthetic(500, 99, () => 0).rows;
      for (const row of fresh) checkValid(forecastGradientBoosting(artifact, row), task);
      // On the training rows, the fitted model scores better than its own starting constant.
      const constant = { ...artifact, trees: [] };
      const score = (a: typeof artifact) =>
        data.rows.reduce(
          (total, row, i) => total + negLogLikelihood(forecastGradientBoosting(a, row), data.outcomes[i]!),
          0,
        );
      expect(score(artifact)).toBeLessThan(score(constant));
    });

    it(`give the same ${task.kind} artifact for the same seed, and forecast identically after a JSON round trip`, () => {
      const params = { rounds: 20, subsample: 0.7, maxLeaves: 8 };
      const a = fitGradientBoosting(task, data, params, 42);
      const b = fitGradientBoosting(task, data, params, 42);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      const c = fitGradientBoosting(task, data, params, 43);
      expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
      const loaded = gradientBoostingArtifactSchema.parse(JSON.parse(JSON.stringify(a)));
      for (const row of data.rows.slice(0, 200)) {
        expect(forecastGradientBoosting(loaded, row)).toEqual(forecastGradientBoosting(a, row));
      }
    });
  }

  it('stop early on a time-ordered tail when the outcome is noise, keeping the best rounds', () => {
    const data = synthetic(1000, 21, (_, random) => (random() < 0.5 ? 1 : 0));
    const artifact = fitGradientBoosting(
      { kind: 'binary', classes: ['no', 'yes'] },
      data,
      { rounds: 300, earlyStoppingRounds: 10, refit: false },
      1,
    );
    expect(artifact.trees.length).toBeLessThan(50);
    expect(artifact.training).toMatchObject({
      heldBackRows: 200,
      rounds: artifact.trees.length,
      refit: false,
    });
  });

  it('honour maxDepth and maxLeaves', () => {
    const { data, task } = tasks[3]!;
    const shallow = fitGradientBoosting(task, data, { rounds: 5, maxDepth: 2 }, 1);
    const small = fitGradientBoosting(task, data, { rounds: 5, maxLeaves: 3 }, 1);
    for (const [round] of shallow.trees)
      expect(round!.feature.filter((f) => f === -1).length).toBeLessThanOrEqual(4);
    for (const [round] of small.trees)
      expect(round!.feature.filter((f) => f === -1).length).toBeLessThanOrEqual(3);
    expect(shallow.trees[0]![0]!.feature.filter((f) => f === -1).length).toBe(4);
  });

  it('reject outcomes that do not fit the task, with the row and what was expected', () => {
    const data = synthetic(50, 31, () => 1);
    const bad = { ...data, outcomes: data.outcomes.map((y, i) => (i === 7 ? 3 : y)) };
    expect(() => fitGradientBoosting({ kind: 'multiclass', classes: ['a', 'b', 'c'] }, bad, {}, 1)).toThrow(
      /the outcome of row 7 is 3, but a multiclass task needs a class index from 0 to 2/,
    );
    expect(() =>
      fitGradientBoosting({ kind: 'count' }, { ...data, outcomes: data.outcomes.map(() => 1.5) }, {}, 1),
    ).toThrow(/needs a non-negative integer/);
    const missing = {
      ...data,
      rows: data.rows.map((row, i) => (i === 3 ? [row[0]!, Number.NaN, row[2]!] : row)),
    };
    expect(() => fitGradientBoosting({ kind: 'regression' }, missing, {}, 1)).toThrow(
      /feature "x1" is NaN in row 3/,
    );
  });

  it('reject unknown parameters and name them', () => {
    expect(() => gradientBoostingParamsSchema.parse({ round: 10 })).toThrow(/round/);
    expect(gradientBoostingParamsSchema.parse({})).toMatchObject({ rounds: 100, maxLeaves: 31, bins: 255 });
  });

  it('refuse a forecast row of the wrong length', () => {
    const { task, data } = tasks[0]!;
    const artifact = fitGradientBoosting(task, data, { rounds: 2 }, 1);
    expect(() => forecastGradientBoosting(artifact, [0.5, 0.5])).toThrow(/Expected 3 feature values/);
  });
});

function negLogLikelihood(forecast: Forecast, y: number): number {
  switch (forecast.kind) {
    case 'probabilities':
      return -Math.log(forecast.p[y]!);
    case 'gaussian':
      return Math.log(forecast.sd) + ((y - forecast.mean) / forecast.sd) ** 2 / 2;
    case 'poisson':
      return forecast.mean - y * Math.log(forecast.mean);
  }
}
