import type { Scalar, Tensor2D } from '@tensorflow/tfjs';
import { seededRandom, shuffledIndices } from '../random.ts';
import { tensorflow } from '../tasks/models/tfjs-runtime.ts';
import type { ModelArtifact } from './artifact.ts';
import { applyStandardisation, matrixOf, standardisationOf, type TrainingData } from './training-data.ts';

export interface NetworkOptions {
  /** Hidden layer widths; empty for multinomial logistic regression. */
  hidden: readonly number[];
  epochs: number;
  /** Rows per gradient step; `Infinity` for full-batch training. */
  batchSize: number;
  learningRate: number;
  /** L2 penalty on weights (not biases), added to the mean cross-entropy. */
  l2: number;
  seed: number;
}

/**
 * Trains a softmax network with TensorFlow.js: seeded Glorot-uniform initialisation, seeded
 * mini-batch order, Adam. Every tensor is created inside `tidy` or disposed before returning, so
 * memory stays flat across runs. Returns the weights as a plain-JSON artifact.
 */
export async function fitNetwork(data: TrainingData, options: NetworkOptions): Promise<ModelArtifact> {
  const tf = await tensorflow();
  const raw = matrixOf(data);
  const standardisation = standardisationOf(raw);
  const x = applyStandardisation(raw, standardisation);
  const classes = 3;
  const widths = [data.featureNames.length, ...options.hidden, classes];
  const random = seededRandom(options.seed);

  const variables = widths.slice(1).map((width, layer) => {
    const fanIn = widths[layer]!;
    const limit = Math.sqrt(6 / (fanIn + width));
    const init = Array.from({ length: fanIn * width }, () => (random() * 2 - 1) * limit);
    // Inside tidy: the initial tensors a variable is created from are released with the scope.
    return {
      weights: tf.tidy(() => tf.variable(tf.tensor2d(init, [fanIn, width]))),
      bias: tf.tidy(() => tf.variable(tf.zeros([width]))),
    };
  });
  const optimizer = tf.train.adam(options.learningRate);
  const features = tf.tensor2d(x);
  const labels = tf.tidy(() => tf.oneHot(tf.tensor1d([...data.outcomes], 'int32'), classes).toFloat());
  const n = x.length;
  const batchSize = Math.min(n, options.batchSize);

  const logits = (input: Tensor2D): Tensor2D =>
    variables.reduce<Tensor2D>((activations, layer, index) => {
      const pre = activations.matMul(layer.weights).add<Tensor2D>(layer.bias);
      return index < variables.length - 1 ? tf.relu(pre) : pre;
    }, input);

  try {
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      const order = batchSize === n ? null : shuffledIndices(n, random);
      for (let start = 0; start < n; start += batchSize) {
        tf.tidy(() => {
          const indices = order ? tf.tensor1d(order.slice(start, start + batchSize), 'int32') : null;
          const batchX = indices ? features.gather(indices) : features;
          const batchY = indices ? labels.gather(indices) : labels;
          optimizer.minimize(() => {
            const loss = tf.losses.softmaxCrossEntropy(batchY, logits(batchX as Tensor2D));
            const penalty = variables.reduce(
              (sum, layer) => sum.add(layer.weights.square().sum()),
              tf.scalar(0),
            );
            return loss.add(penalty.mul(options.l2)) as Scalar;
          });
        });
      }
    }
    const layers = await Promise.all(
      variables.map(async (layer, index) => ({
        weights: (await layer.weights.array()) as number[][],
        bias: (await layer.bias.array()) as number[],
        activation: index < variables.length - 1 ? ('relu' as const) : ('softmax' as const),
      })),
    );
    const featureNames = [...data.featureNames];
    if (options.hidden.length === 0) {
      const only = layers[0]!;
      return {
        kind: 'logistic-regression',
        featureNames,
        standardisation,
        weights: only.weights,
        bias: only.bias,
      };
    }
    return { kind: 'mlp', featureNames, standardisation, layers };
  } finally {
    features.dispose();
    labels.dispose();
    optimizer.dispose();
    for (const layer of variables) {
      layer.weights.dispose();
      layer.bias.dispose();
    }
  }
}
