import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rankedProbabilityScore } from '../../pipelines/evaluation/metrics.ts';
import { partialDependence } from '../../pipelines/explain/partial-dependence.ts';
import { permutationImportance } from '../../pipelines/explain/permutation-importance.ts';
import { computeMatchFeatures } from '../../pipelines/features/match-features.ts';
import { predictProbabilities } from '../../pipelines/models/artifact.ts';
import { binIndex, fitGradientBoosting, quantileEdges } from '../../pipelines/models/gradient-boosting.ts';
import { fitModel, loadModel } from '../../pipelines/models/model.ts';
import { fitNetwork } from '../../pipelines/models/neural-network.ts';
import { tensorflow } from '../../pipelines/tasks/models/tfjs-runtime.ts';
import { modelSpecSchema } from '../../portfolio/project-spec.ts';
import { syntheticMatches } from './synthetic-matches.ts';

const rows = computeMatchFeatures(syntheticMatches({ seasons: 4, teams: 10 })).rows;
const train = rows.filter((r) => r.season < '2016-17');
const test = rows.filter((r) => r.season === '2016-17');
const featureNames = ['elo_diff', 'form_home', 'form_away', 'rest_days_home'];
const data = { rows: train.map((r) => r.features), outcomes: train.map((r) => r.outcome), featureNames };
const boostingOptions = {
  rounds: 30,
  learningRate: 0.1,
  maxDepth: 2,
  minLeafRows: 10,
  bins: 16,
  l2: 1,
  subsample: 0.8,
  seed: 5,
};

const directory = await mkdtemp(join(tmpdir(), 'mlfolio-models-'));
afterAll(() => rm(directory, { recursive: true, force: true }));

describe('gradient-boosted trees', () => {
  it('cuts features at distinct quantiles and bins values consistently with the thresholds', () => {
    // Quartile cut points of 1 1 1 2 3 4 5 6 are 1 (the minimum: no cut), 3 and 5.
    expect(quantileEdges([1, 1, 1, 2, 3, 4, 5, 6], 4)).toEqual([3, 5]);
    expect([0.5, 2.9, 3, 4.9, 5, 99].map((v) => binIndex(v, [3, 5]))).toEqual([0, 0, 1, 1, 2, 2]);
  });

  it('learns signal the prior lacks, and gives identical trees for the same seed', () => {
    const a = fitGradientBoosting(data, boostingOptions);
    const b = fitGradientBoosting(data, boostingOptions);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const p = test.map((r) => predictProbabilities(a, r.features));
    for (const forecast of p) expect(forecast.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    const counts = [0, 1, 2].map((k) => train.filter((r) => r.outcome === k).length / train.length);
    const outcomes = test.map((r) => r.outcome);
    expect(rankedProbabilityScore(p, outcomes)).toBeLessThan(
      rankedProbabilityScore(
        p.map(() => counts),
        outcomes,
      ),
    );
  });
});

describe('one model interface', () => {
  it('fits, predicts, saves, loads with identical predictions, measures size on disk and explains', async () => {
    const spec = modelSpecSchema.parse({ id: 'gb', kind: 'gradient-boosting', params: { rounds: 10 } });
    const model = await fitModel(spec, data, 1);
    const path = join(directory, 'gb.json');
    await model.save(path);
    expect((await stat(path)).size).toBe(model.size());
    const loaded = await loadModel(path);
    const row = test[0]!.features;
    expect(loaded.predict(row)).toEqual(model.predict(row));
    const reference = Object.fromEntries(featureNames.map((n) => [n, 0])) as Record<string, number>;
    await writeFile(join(directory, 'broken.json'), JSON.stringify({ ...model.artifact, trees: 'none' }));
    await expect(loadModel(join(directory, 'broken.json'))).rejects.toThrow(
      /broken\.json is not valid:\n {2}- trees/,
    );
    const explanation = model.explain(row, { ...row, ...reference });
    const total = explanation.contributions.reduce((s, c) => s + c.probabilities[0]!, 0);
    expect(total).toBeCloseTo(explanation.probabilities[0]! - explanation.reference[0]!, 10);
  });
});

describe('TensorFlow.js training', () => {
  it('disposes every tensor: memory is flat across two trainings, and the same seed gives the same weights', async () => {
    const tf = await tensorflow();
    const options = { hidden: [8], epochs: 3, batchSize: 64, learningRate: 0.01, l2: 1e-4, seed: 9 };
    const before = tf.memory().numTensors;
    const first = await fitNetwork(data, options);
    const after = tf.memory().numTensors;
    const second = await fitNetwork(data, options);
    expect(tf.memory().numTensors).toBe(before);
    expect(after).toBe(before);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
  });
});

describe('explanation', () => {
  const artifact = fitGradientBoosting(data, boostingOptions);
  const testRows = test.map((r) => r.features);
  const outcomes = test.map((r) => r.outcome);

  it('gives exactly zero importance to a feature the model does not read, with an interval for every feature', () => {
    const elo = {
      kind: 'elo' as const,
      featureNames: ['elo_diff'] as ['elo_diff'],
      scale: 100,
      slope: 0.6,
      thresholds: [-0.5, 0.6] as [number, number],
    };
    const importance = permutationImportance(elo, testRows, outcomes, featureNames, {
      metric: 'rps',
      repeats: 3,
      seed: 1,
      resamples: 200,
    });
    const unused = importance.filter((f) => f.feature !== 'elo_diff');
    for (const f of unused) expect(f.increase).toEqual({ value: 0, lower: 0, upper: 0 });
    expect(importance[0]!.feature).toBe('elo_diff');
    expect(importance[0]!.increase.value).toBeGreaterThan(0);
  });

  it('draws partial dependence over the central 90% of a feature, with probabilities summing to 1', () => {
    const curve = partialDependence(artifact, testRows, 'elo_diff', 10);
    expect(curve.points.length).toBeGreaterThan(3);
    const xs = curve.points.map((p) => p.x);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
    for (const point of curve.points)
      expect(point.probabilities.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
  });
});

describe('logistic regression by Newton', () => {
  it('reaches the optimum the TensorFlow.js gradient steps approach, in plain JavaScript', async () => {
    const { fitLogisticRegression } = await import('../../pipelines/models/logistic-regression.ts');
    const newton = fitLogisticRegression(data, { l2: 1e-3 });
    const adam = await fitNetwork(data, {
      hidden: [],
      epochs: 400,
      batchSize: Number.POSITIVE_INFINITY,
      learningRate: 0.05,
      l2: 1e-3,
      seed: 1,
    });
    const loss = (artifact: typeof newton) => {
      const weights = artifact.kind === 'logistic-regression' ? artifact.weights.flat() : [];
      const ce =
        train.reduce((s, r) => s - Math.log(predictProbabilities(artifact, r.features)[r.outcome]!), 0) /
        train.length;
      return ce + 1e-3 * weights.reduce((s, w) => s + w * w, 0);
    };
    expect(loss(newton)).toBeLessThanOrEqual(loss(adam) + 1e-9);
    expect(loss(newton)).toBeCloseTo(loss(adam), 4);
    expect(JSON.stringify(fitLogisticRegression(data, { l2: 1e-3 }))).toBe(JSON.stringify(newton));
  });
});
