import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipelines/random.ts';
import { type MlpHead, mlpArtifactSchema, mlpParamsSchema } from '../../pipelines/tasks/models/mlp.ts';
import { batchGradient, fitMlp } from '../../pipelines/tasks/models/mlp-fit.ts';
import { forecastMlp, mlpOutputs } from '../../pipelines/tasks/models/mlp-forecast.ts';
import { directKernels } from '../../pipelines/tasks/models/tfjs-kernels.ts';
import { tensorflow } from '../../pipelines/tasks/models/tfjs-runtime.ts';
import type { Forecast, Task, TrainingSet } from '../../pipelines/tasks/task.ts';

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

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

function synthetic(
  n: number,
  seed: number,
  draw: (row: number[], random: () => number) => number,
): TrainingSet {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, () => [random() * 10, random() - 0.5, random()]);
  return { featureNames: ['a', 'b', 'noise'], rows, outcomes: rows.map((row) => draw(row, random)) };
}

const drawClass = (row: number[], random: () => number): number => {
  const s = 0.6 * (row[0]! - 5) + 3 * row[1]!;
  const e = [Math.exp(s), 1, Math.exp(-s)];
  const u = random() * (e[0]! + e[1]! + e[2]!);
  return u < e[0]! ? 0 : u < e[0]! + e[1]! ? 1 : 2;
};

const tasks: { task: Task; data: TrainingSet }[] = [
  {
    task: { kind: 'binary', classes: ['no', 'yes'] },
    data: synthetic(600, 1, (row, random) => (random() < 1 / (1 + Math.exp(-(row[0]! - 5))) ? 1 : 0)),
  },
  { task: { kind: 'multiclass', classes: ['H', 'D', 'A'] }, data: synthetic(600, 2, drawClass) },
  { task: { kind: 'ordinal', classes: ['A', 'D', 'H'] }, data: synthetic(600, 3, drawClass) },
  {
    task: { kind: 'regression' },
    data: synthetic(600, 4, (row, random) => 70 + 3 * row[0]! + 10 * Math.abs(row[1]!) + 2 * normal(random)),
  },
  {
    task: { kind: 'count' },
    data: synthetic(600, 5, (row, random) => poisson(Math.exp(0.2 * row[0]!), random)),
  },
];

function summedLoss(head: MlpHead, out: number[], label: number[]): number {
  switch (head) {
    case 'softmax': {
      const max = Math.max(...out);
      const logTotal = max + Math.log(out.reduce((s, v) => s + Math.exp(v - max), 0));
      return out.reduce((s, v, k) => s - label[k]! * (v - logTotal), 0);
    }
    case 'sigmoid': {
      const z = out[0]!;
      return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - label[0]! * z;
    }
    case 'identity':
      return (out[0]! - label[0]!) ** 2 / 2;
    case 'exp':
      return Math.exp(out[0]!) - label[0]! * out[0]!;
  }
}

describe('MLP', () => {
  for (const [head, width] of [
    ['softmax', 3],
    ['sigmoid', 1],
    ['identity', 1],
    ['exp', 1],
  ] as const) {
    it(`computes the ${head} head's batch gradient by hand as finite differences do`, async () => {
      const tf = await tensorflow();
      const random = seededRandom(5);
      const widths = [2, 4, 3, width];
      let size = 0;
      for (let l = 0; l < widths.length - 1; l++) size += (widths[l]! + 1) * widths[l + 1]!;
      const parameters = Float32Array.from({ length: size }, () => random() - 0.5);
      const rows = 6;
      const x = Float32Array.from({ length: rows * 2 }, () => random() * 2 - 1);
      // batchGradient takes each row with a trailing 1 (the first layer's bias input).
      const augmented = new Float32Array(rows * 3);
      for (let i = 0; i < rows; i++) augmented.set([x[2 * i]!, x[2 * i + 1]!, 1], 3 * i);
      const y = new Float32Array(rows * width);
      for (let i = 0; i < rows; i++) {
        if (head === 'softmax') y[i * width + (i % width)] = 1;
        else y[i] = head === 'sigmoid' ? i % 2 : head === 'exp' ? i : random();
      }
      const loss = (p: Float64Array) => {
        const layers = [];
        let offset = 0;
        for (let l = 0; l < widths.length - 1; l++) {
          const weights = Array.from({ length: widths[l]! }, (_, j) =>
            Array.from(p.subarray(offset + j * widths[l + 1]!, offset + (j + 1) * widths[l + 1]!)),
          );
          offset += widths[l]! * widths[l + 1]!;
          layers.push({ weights, bias: Array.from(p.subarray(offset, offset + widths[l + 1]!)) });
          offset += widths[l + 1]!;
        }
        let total = 0;
        for (let i = 0; i < rows; i++) {
          const out = mlpOutputs(layers, [x[2 * i]!, x[2 * i + 1]!]);
          total += summedLoss(head, out, Array.from(y.subarray(i * width, (i + 1) * width)));
        }
        return total;
      };
      const gradient = new Float32Array(size).fill(Number.NaN);
      batchGradient(directKernels(tf), widths, parameters, augmented, y, rows, head, gradient);
      const h = 1e-5;
      for (let p = 0; p < size; p++) {
        const plus = Float64Array.from(parameters);
        const minus = Float64Array.from(parameters);
        plus[p]! += h;
        minus[p]! -= h;
        const numeric = (loss(plus) - loss(minus)) / (2 * h);
        expect(Math.abs(gradient[p]! - numeric)).toBeLessThan(1e-4 * Math.max(1, Math.abs(numeric)));
      }
    });
  }

  it('gets from its direct kernel calls the gradient the equivalent TensorFlow.js ops give, bit for bit', async () => {
    const tf = await tensorflow();
    const random = seededRandom(9);
    const widths = [5, 8, 6, 3];
    const rows = 40;
    let size = 0;
    for (let l = 0; l < widths.length - 1; l++) size += (widths[l]! + 1) * widths[l + 1]!;
    const parameters = Float32Array.from({ length: size }, () => random() - 0.5);
    const x = Float32Array.from({ length: rows * 6 }, (_, e) => (e % 6 === 5 ? 1 : random() * 2 - 1));
    const y = Float32Array.from({ length: rows * 3 }, (_, e) => (e % 3 === Math.floor(e / 3) % 3 ? 1 : 0));
    const direct = new Float32Array(size);
    batchGradient(directKernels(tf), widths, parameters, x, y, rows, 'softmax', direct);

    // The same pass written with the public ops (as mlp-fit.ts did before calling kernels directly).
    const viaOps = new Float32Array(size);
    const pieces = tf.tidy(() => {
      const offsets = [0, (5 + 1) * 8, (5 + 1) * 8 + (8 + 1) * 6];
      const weights = [0, 1, 2].map((l) => {
        const rowsOf = l === 0 ? widths[0]! + 1 : widths[l]!;
        return tf.tensor2d(parameters.subarray(offsets[l]!, offsets[l]! + rowsOf * widths[l + 1]!), [
          rowsOf,
          widths[l + 1]!,
        ]);
      });
      const biases = [1, 2].map((l) =>
        tf.tensor1d(
          parameters.subarray(
            offsets[l]! + widths[l]! * widths[l + 1]!,
            offsets[l]! + (widths[l]! + 1) * widths[l + 1]!,
          ),
        ),
      );
      const activations = [tf.tensor2d(x, [rows, 6])];
      for (let l = 0; l < 3; l++) {
        activations.push(
          tf.fused.matMul({
            a: activations[l]!,
            b: weights[l]!,
            ...(l > 0 ? { bias: biases[l - 1]! } : {}),
            ...(l < 2 ? { activation: 'relu' as const } : {}),
          }) as ReturnType<typeof tf.tensor2d>,
        );
      }
      let delta = tf.softmax(activations[3]!).sub(tf.tensor2d(y, [rows, 3]));
      const result: { at: number; tensor: ReturnType<typeof tf.sum> }[] = [];
      for (let l = 2; l >= 0; l--) {
        result.push({ at: offsets[l]!, tensor: tf.matMul(activations[l]!, delta, true, false) });
        if (l > 0) {
          result.push({ at: offsets[l]! + widths[l]! * widths[l + 1]!, tensor: delta.sum(0) });
          delta = tf.matMul(delta, weights[l]!, false, true).mul(tf.step(activations[l]!));
        }
      }
      return result;
    });
    for (const { at, tensor } of pieces) {
      viaOps.set(tensor.dataSync() as Float32Array, at);
      tensor.dispose();
    }
    expect(Array.from(direct)).toEqual(Array.from(viaOps));
    expect(direct.every(Number.isFinite)).toBe(true);
  });

  for (const { task, data } of tasks) {
    it(`trains a ${task.kind} network whose forecasts are valid and beat its own starting point`, async () => {
      const artifact = await fitMlp(
        task,
        data,
        { hidden: [8], epochs: 40, batchSize: 64, learningRate: 0.01 },
        7,
      );
      const untrained = await fitMlp(
        task,
        data,
        { hidden: [8], epochs: 1, batchSize: 600, learningRate: 1e-9 },
        7,
      );
      const fresh = synthetic(300, 77, () => 0).rows;
      for (const row of fresh) checkValid(forecastMlp(artifact, row), task);
      const score = (a: typeof artifact) =>
        data.rows.reduce((s, row, i) => s + negLogLikelihood(forecastMlp(a, row), data.outcomes[i]!), 0);
      expect(score(artifact)).toBeLessThan(score(untrained));
    });
  }

  it('measures the regression sd on held-back rows, close to the error on fresh rows', async () => {
    const draw = (row: number[], random: () => number) => 70 + 3 * row[0]! + 2 * normal(random);
    const data = synthetic(1000, 8, draw);
    const artifact = await fitMlp(
      { kind: 'regression' },
      data,
      { hidden: [8], epochs: 60, batchSize: 64, learningRate: 0.01 },
      1,
    );
    const fresh = synthetic(2000, 9, draw);
    let squared = 0;
    fresh.rows.forEach((row, i) => {
      const f = forecastMlp(artifact, row);
      if (f.kind === 'gaussian') squared += (f.mean - fresh.outcomes[i]!) ** 2;
    });
    const rmse = Math.sqrt(squared / fresh.rows.length);
    expect(rmse).toBeLessThan(2.4);
    expect(Math.abs(artifact.sd! - rmse) / rmse).toBeLessThan(0.15);
    expect(artifact.training).toMatchObject({ heldBackRows: 200, refit: true });
  });

  it('recovers a Poisson rate through the exp head', async () => {
    const rate = (row: readonly number[]) => Math.exp(0.5 + 0.15 * row[0]!);
    const data = synthetic(2000, 10, (row, random) => poisson(rate(row), random));
    const artifact = await fitMlp(
      { kind: 'count' },
      data,
      { hidden: [], epochs: 80, batchSize: 100, learningRate: 0.02, l2: 0 },
      1,
    );
    for (const a of [1, 5, 9]) {
      const f = forecastMlp(artifact, [a, 0, 0.5]);
      expect(f.kind).toBe('poisson');
      if (f.kind === 'poisson') expect(Math.abs(f.mean - rate([a])) / rate([a])).toBeLessThan(0.1);
    }
  });

  for (const { task, data } of [tasks[1]!, tasks[3]!]) {
    it(`gives the same ${task.kind} artifact for the same seed, and forecasts identically after a JSON round trip`, async () => {
      const params = { hidden: [6], epochs: 5, batchSize: 100 };
      const a = await fitMlp(task, data, params, 3);
      const b = await fitMlp(task, data, params, 3);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(JSON.stringify(await fitMlp(task, data, params, 4))).not.toBe(JSON.stringify(a));
      const loaded = mlpArtifactSchema.parse(JSON.parse(JSON.stringify(a)));
      for (const row of data.rows.slice(0, 100))
        expect(forecastMlp(loaded, row)).toEqual(forecastMlp(a, row));
    });
  }

  it('rejects unknown parameters and artifacts whose layers do not fit the task', async () => {
    expect(() => mlpParamsSchema.parse({ hiddenLayers: [4] })).toThrow(/hiddenLayers/);
    const { task, data } = tasks[0]!;
    const artifact = await fitMlp(task, data, { hidden: [4], epochs: 1 }, 1);
    const tampered = { ...artifact, task: { kind: 'multiclass', classes: ['a', 'b', 'c'] } };
    expect(() => mlpArtifactSchema.parse(tampered)).toThrow(/output layer must have 3 units/);
  });
});

function checkValid(forecast: Forecast, task: Task): void {
  if (forecast.kind === 'probabilities') {
    expect(forecast.p).toHaveLength('classes' in task ? task.classes.length : -1);
    for (const p of forecast.p) expect(p).toBeGreaterThanOrEqual(0);
    expect(forecast.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  } else if (forecast.kind === 'gaussian') {
    expect(task.kind).toBe('regression');
    expect(forecast.sd).toBeGreaterThan(0);
  } else {
    expect(task.kind).toBe('count');
    expect(forecast.mean).toBeGreaterThanOrEqual(0);
  }
}

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
