import type * as tfjs from '@tensorflow/tfjs';
import {
  BatchMatMul,
  Exp,
  _FusedMatMul as FusedMatMul,
  Multiply,
  Sigmoid,
  Softmax,
  Step,
  Sub,
  Sum,
  type TensorInfo,
} from '@tensorflow/tfjs';
import { MlfolioError } from '../../../portfolio/errors.ts';
import { seededRandom } from '../../random.ts';
import type { Task, TrainingSet } from '../task.ts';
import {
  type MlpArtifact,
  type MlpHead,
  type MlpParams,
  type MlpParamsInput,
  mlpParamsSchema,
} from './mlp.ts';
import { headFor, headWidth, mlpOutputs } from './mlp-forecast.ts';
import { plainTask } from './task-schema.ts';
import { type DirectKernels, directKernels } from './tfjs-kernels.ts';
import { backendName, tensorflow } from './tfjs-runtime.ts';
import { checkTrainingSet } from './training-set.ts';

type TF = typeof tfjs;

/**
 * Trains an MLP for `task` with TensorFlow.js: scikit-learn's Glorot-uniform initialisation and
 * Adam (β 0.9/0.999, ε 1e-8), a seeded row order each epoch, the same seed giving the same artifact.
 *
 * Where the time goes decided the shape of the loop: at these sizes (a few hundred weights,
 * batches of a few hundred rows) every TensorFlow.js op costs 5–100 µs of dispatch whatever it
 * computes, so each step runs only the forward and hand-written backward pass as tensor ops (about
 * sixteen for one hidden layer, instead of the ~100 of autodiff plus per-variable Adam) and reads
 * back one flat gradient; the Adam update of the flat parameter vector then runs in plain
 * JavaScript, where it costs under a microsecond.
 */
export async function fitMlp(
  task: Task,
  data: TrainingSet,
  params: MlpParamsInput,
  seed: number,
): Promise<MlpArtifact> {
  const options = mlpParamsSchema.parse(params);
  checkTrainingSet(task, data, 'mlp', { minRows: 2, needsFeatures: true });
  const tf = await tensorflow();
  const n = data.rows.length;
  if (task.kind !== 'regression') {
    const fit = train(tf, task, data, 0, n, options, seed);
    return artifactOf(task, data, fit, { rows: n, heldBackRows: 0, refit: false });
  }
  const heldBack = Math.round(n * options.heldBackFraction);
  const head = n - heldBack;
  if (heldBack < 2 || head < 2) {
    throw new MlfolioError({
      code: 'E_TRAINING_SET_TOO_SMALL',
      message: `mlp: holding back ${options.heldBackFraction} of ${n} rows leaves ${head} to train and ${heldBack} to measure the predictive sd; each needs at least 2.`,
      hint: 'Train on more rows or raise heldBackFraction.',
    });
  }
  const first = train(tf, task, data, 0, head, options, seed);
  const firstArtifact = artifactOf(task, data, first, { rows: n, heldBackRows: heldBack, refit: false });
  let squared = 0;
  for (let i = head; i < n; i++) {
    const forecast = predictMean(firstArtifact, data.rows[i]!);
    squared += (forecast - data.outcomes[i]!) ** 2;
  }
  const sd = Math.max(Math.sqrt(squared / heldBack), 1e-9);
  const final = options.refit ? train(tf, task, data, 0, n, options, seed) : first;
  return { ...artifactOf(task, data, final, { rows: n, heldBackRows: heldBack, refit: options.refit }), sd };
}

interface Trained {
  standardisation: { mean: number[]; std: number[] };
  widths: number[];
  parameters: Float64Array;
  target: { mean: number; scale: number } | undefined;
  epochs: number;
  steps: number;
}

function artifactOf(
  task: Task,
  data: TrainingSet,
  fit: Trained,
  training: { rows: number; heldBackRows: number; refit: boolean },
): MlpArtifact {
  const artifact: MlpArtifact = {
    kind: 'mlp',
    task: plainTask(task),
    featureNames: [...data.featureNames],
    standardisation: fit.standardisation,
    layers: unflatten(fit.parameters, fit.widths),
    head: headFor(task),
    training: { ...training, epochs: fit.epochs, steps: fit.steps, backend: backendName() },
  };
  // The sd is measured afterwards; 1 keeps the artifact valid until then.
  return fit.target ? { ...artifact, target: fit.target, sd: 1 } : artifact;
}

function predictMean(artifact: MlpArtifact, row: readonly number[]): number {
  const { mean, std } = artifact.standardisation;
  const out = mlpOutputs(
    artifact.layers,
    row.map((v, j) => (v - mean[j]!) / std[j]!),
  );
  return artifact.target!.mean + artifact.target!.scale * out[0]!;
}

/** Trains on rows [start, end) of `data`. */
function train(
  tf: TF,
  task: Task,
  data: TrainingSet,
  start: number,
  end: number,
  options: MlpParams,
  seed: number,
): Trained {
  const n = end - start;
  const d = data.featureNames.length;
  const K = headWidth(task);
  const head = headFor(task);
  const widths = [d, ...options.hidden, K];
  const random = seededRandom(seed);

  const standardisation = standardisationOf(data, start, end);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = data.rows[start + i]!;
    for (let j = 0; j < d; j++) {
      x[i * d + j] = (row[j]! - standardisation.mean[j]!) / standardisation.std[j]!;
    }
  }
  const y = new Float32Array(n * K);
  let target: Trained['target'];
  if (task.kind === 'regression') {
    let total = 0;
    for (let i = 0; i < n; i++) total += data.outcomes[start + i]!;
    const mean = total / n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (data.outcomes[start + i]! - mean) ** 2;
    target = { mean, scale: Math.sqrt(variance / n) || 1 };
    for (let i = 0; i < n; i++) y[i] = (data.outcomes[start + i]! - mean) / target.scale;
  } else {
    for (let i = 0; i < n; i++) {
      const outcome = data.outcomes[start + i]!;
      if (K === 1) y[i] = outcome;
      else y[i * K + outcome] = 1;
    }
  }

  const parameters = initialParameters(widths, head, random);
  if (head === 'exp') {
    // Start the Poisson head at the mean count: from a random log-rate near 0, Adam's small steps
    // would spend most of training just reaching the right scale.
    let total = 0;
    for (let i = 0; i < n; i++) total += y[i]!;
    parameters[parameters.length - 1] = Math.log(Math.max(total / n, 1e-6));
  }
  const penalised = weightMask(widths);
  const m = new Float64Array(parameters.length);
  const v = new Float64Array(parameters.length);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const epsilon = 1e-8;
  const batchSize = Math.min(options.batchSize, n);
  // The epoch's rows in its shuffled order, so each batch is a contiguous slice. Gathering them in
  // one pass per epoch, rather than a batch at a time between TensorFlow.js calls, keeps the random
  // reads of x in one tight loop: per batch they were a large share of a step on a busy machine.
  // Each row ends with a constant 1, so the first layer's bias is one more weight row.
  const epochX = new Float32Array(n * (d + 1));
  for (let r = 0; r < n; r++) epochX[r * (d + 1) + d] = 1;
  const epochY = new Float32Array(n * K);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  const single = new Float32Array(parameters.length);
  const gradient = new Float32Array(parameters.length);
  const kernels = directKernels(tf);
  let step = 0;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    // Plain loops: a subarray view per row would allocate millions of objects over a fit.
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      for (let j = 0; j < d; j++) epochX[r * (d + 1) + j] = x[i * d + j]!;
      for (let k = 0; k < K; k++) epochY[r * K + k] = y[i * K + k]!;
    }
    for (let from = 0; from < n; from += batchSize) {
      const rows = Math.min(batchSize, n - from);
      single.set(parameters);
      batchGradient(
        kernels,
        widths,
        single,
        epochX.subarray(from * (d + 1), (from + rows) * (d + 1)),
        epochY.subarray(from * K, (from + rows) * K),
        rows,
        head,
        gradient,
      );
      step++;
      const rate = (options.learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
      for (let p = 0; p < parameters.length; p++) {
        const g = (gradient[p]! + (penalised[p]! ? options.l2 * parameters[p]! : 0)) / rows;
        m[p] = beta1 * m[p]! + (1 - beta1) * g;
        v[p] = beta2 * v[p]! + (1 - beta2) * g * g;
        parameters[p]! -= (rate * m[p]!) / (Math.sqrt(v[p]!) + epsilon);
      }
    }
  }
  return { standardisation, widths, parameters, target, epochs: options.epochs, steps: step };
}

/**
 * Writes into `gradient` the gradient of the batch's summed loss (log loss, half squared error or
 * Poisson negative log-likelihood, by head) with respect to the flat parameters (per layer: weights
 * in-major, then biases), by a hand-written backward pass in TensorFlow.js kernels. `x` has `rows`
 * rows of `widths[0]` inputs followed by a constant 1: the first layer's weights and bias are then
 * one (inputs + 1) × units matrix, in the flat layout as stored, which saves a bias add and a sum.
 *
 * The kernels are those `tf.fused.matMul`, `tf.matMul`, `tf.sum`, `tf.step`… run, called directly
 * with the inputs and attributes those ops pass (the fused product takes rank-3 operands, as the op
 * reshapes them), so the gradient is the ops' bit for bit at a fraction of the dispatch cost.
 */
export function batchGradient(
  kernels: DirectKernels,
  widths: readonly number[],
  parameters: Float32Array,
  x: Float32Array,
  y: Float32Array,
  rows: number,
  head: MlpHead,
  gradient: Float32Array,
): void {
  const layers = widths.length - 1;
  const created: TensorInfo[] = [];
  const keep = (tensor: TensorInfo): TensorInfo => {
    created.push(tensor);
    return tensor;
  };
  // A kernel output seen with another shape (the same data, as a reshape would give).
  const as = (tensor: TensorInfo, shape: number[]): TensorInfo => ({ ...tensor, shape });
  try {
    const weights: TensorInfo[] = [];
    const biases: TensorInfo[] = [];
    let at = 0;
    const offsets: number[] = [];
    for (let l = 0; l < layers; l++) {
      const fanIn = widths[l]!;
      const fanOut = widths[l + 1]!;
      offsets.push(at);
      if (l === 0) {
        weights.push(
          keep(kernels.upload(parameters.subarray(at, at + (fanIn + 1) * fanOut), [fanIn + 1, fanOut])),
        );
      } else {
        weights.push(keep(kernels.upload(parameters.subarray(at, at + fanIn * fanOut), [fanIn, fanOut])));
        biases[l] = keep(
          kernels.upload(parameters.subarray(at + fanIn * fanOut, at + (fanIn + 1) * fanOut), [fanOut]),
        );
      }
      at += (fanIn + 1) * fanOut;
    }
    const activations: TensorInfo[] = [keep(kernels.upload(x, [rows, widths[0]! + 1]))];
    for (let l = 0; l < layers; l++) {
      const a = activations[l]!;
      const b = weights[l]!;
      const product = keep(
        kernels.run(
          FusedMatMul,
          {
            a: as(a, [1, ...a.shape]),
            b: as(b, [1, ...b.shape]),
            ...(l > 0 ? { bias: biases[l]! } : {}),
          },
          {
            transposeA: false,
            transposeB: false,
            activation: l < layers - 1 ? 'relu' : 'linear',
            leakyreluAlpha: 0.2,
          },
        ),
      );
      activations.push(as(product, [rows, widths[l + 1]!]));
    }
    const out = activations[layers]!;
    const labels = keep(kernels.upload(y, [rows, widths[layers]!]));
    const predicted =
      head === 'softmax'
        ? keep(kernels.run(Softmax, { logits: out }, { dim: 1 }))
        : head === 'sigmoid'
          ? keep(kernels.run(Sigmoid, { x: out }))
          : head === 'exp'
            ? keep(kernels.run(Exp, { x: out }))
            : out;
    // For each head with its canonical loss, d(loss)/d(output) is prediction − label.
    let delta = keep(kernels.run(Sub, { a: predicted, b: labels }));
    for (let l = layers - 1; l >= 0; l--) {
      const weightGradient = keep(
        kernels.run(BatchMatMul, { a: activations[l]!, b: delta }, { transposeA: true, transposeB: false }),
      );
      gradient.set(kernels.read(weightGradient), offsets[l]!);
      if (l > 0) {
        const biasGradient = keep(kernels.run(Sum, { x: delta }, { axis: 0, keepDims: false }));
        gradient.set(kernels.read(biasGradient), offsets[l]! + widths[l]! * widths[l + 1]!);
        const back = keep(
          kernels.run(BatchMatMul, { a: delta, b: weights[l]! }, { transposeA: false, transposeB: true }),
        );
        const active = keep(kernels.run(Step, { x: activations[l]! }, { alpha: 0 }));
        delta = keep(as(kernels.run(Multiply, { a: back, b: active }), [rows, widths[l]!]));
      }
    }
  } finally {
    for (const tensor of created) kernels.dispose(tensor);
  }
}

/** Glorot-uniform weights and biases, as scikit-learn's MLP: bound √(6 / (fan-in + fan-out)), √(2 / …) for a sigmoid output. */
function initialParameters(widths: readonly number[], head: MlpHead, random: () => number): Float64Array {
  let size = 0;
  for (let l = 0; l < widths.length - 1; l++) size += (widths[l]! + 1) * widths[l + 1]!;
  const parameters = new Float64Array(size);
  let offset = 0;
  for (let l = 0; l < widths.length - 1; l++) {
    const fanIn = widths[l]!;
    const fanOut = widths[l + 1]!;
    const factor = l === widths.length - 2 && head === 'sigmoid' ? 2 : 6;
    const bound = Math.sqrt(factor / (fanIn + fanOut));
    for (let p = 0; p < (fanIn + 1) * fanOut; p++) parameters[offset++] = (random() * 2 - 1) * bound;
  }
  return parameters;
}

/** 1 for weights, 0 for biases: the L2 penalty applies to weights only. */
function weightMask(widths: readonly number[]): Uint8Array {
  const parts: number[] = [];
  for (let l = 0; l < widths.length - 1; l++) {
    parts.push(
      ...new Array<number>(widths[l]! * widths[l + 1]!).fill(1),
      ...new Array<number>(widths[l + 1]!).fill(0),
    );
  }
  return Uint8Array.from(parts);
}

function unflatten(parameters: Float64Array, widths: readonly number[]): MlpArtifact['layers'] {
  const layers: MlpArtifact['layers'] = [];
  let offset = 0;
  for (let l = 0; l < widths.length - 1; l++) {
    const fanIn = widths[l]!;
    const fanOut = widths[l + 1]!;
    const weights = Array.from({ length: fanIn }, (_, j) =>
      Array.from(parameters.subarray(offset + j * fanOut, offset + (j + 1) * fanOut)),
    );
    offset += fanIn * fanOut;
    const bias = Array.from(parameters.subarray(offset, offset + fanOut));
    offset += fanOut;
    layers.push({ weights, bias });
  }
  return layers;
}

function standardisationOf(data: TrainingSet, start: number, end: number): { mean: number[]; std: number[] } {
  const d = data.featureNames.length;
  const n = end - start;
  const mean = new Array<number>(d).fill(0);
  const std = new Array<number>(d).fill(0);
  for (let i = start; i < end; i++) for (let j = 0; j < d; j++) mean[j]! += data.rows[i]![j]! / n;
  for (let i = start; i < end; i++)
    for (let j = 0; j < d; j++) std[j]! += (data.rows[i]![j]! - mean[j]!) ** 2 / n;
  return { mean, std: std.map((variance) => (variance > 1e-24 ? Math.sqrt(variance) : 1)) };
}

/** Fisher–Yates in place, driven by `random`. */
function shuffle(order: Uint32Array, random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
