/**
 * Trained models as plain JSON, and the one forward pass every consumer uses: the pipeline's
 * evaluation, the HTTP server and the in-browser demo. Keep this file free of Node and TensorFlow
 * imports: it is bundled into the demo page.
 */

export interface Standardisation {
  mean: number[];
  std: number[];
}

export type ModelArtifact =
  | { kind: 'prior'; probabilities: number[] }
  | { kind: 'elo'; featureNames: ['elo_diff']; scale: number; slope: number; thresholds: [number, number] }
  | {
      kind: 'logistic-regression';
      featureNames: string[];
      standardisation: Standardisation;
      /** weights[j][k]: feature j, class k. */
      weights: number[][];
      bias: number[];
    }
  | {
      kind: 'mlp';
      featureNames: string[];
      standardisation: Standardisation;
      layers: { weights: number[][]; bias: number[]; activation: 'relu' | 'softmax' }[];
    }
  | {
      kind: 'gradient-boosting';
      featureNames: string[];
      /** Starting logits (log class frequencies of the training rows). */
      init: number[];
      /** trees[round][class]: each tree adds its leaf value (learning rate included) to one logit. */
      trees: RegressionTree[][];
    };

/**
 * A regression tree as flat arrays indexed by node (root 0). A node with `feature[n] === -1` is a
 * leaf worth `value[n]`; otherwise rows with `x[feature] < threshold` go to `left[n]`, others right.
 */
export interface RegressionTree {
  feature: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
}

export type FeatureValues = Readonly<Record<string, number>>;

/** Class probabilities (home win, draw, away win) for one example. */
export function predictProbabilities(artifact: ModelArtifact, features: FeatureValues): number[] {
  switch (artifact.kind) {
    case 'prior':
      return [...artifact.probabilities];
    case 'elo': {
      const strength = artifact.slope * (requireFeature(features, 'elo_diff') / artifact.scale);
      const away = sigmoid(artifact.thresholds[0] - strength);
      const awayOrDraw = sigmoid(artifact.thresholds[1] - strength);
      return [1 - awayOrDraw, awayOrDraw - away, away];
    }
    case 'logistic-regression': {
      const z = standardise(artifact.featureNames, artifact.standardisation, features);
      return softmax(affine(z, artifact.weights, artifact.bias));
    }
    case 'mlp': {
      let activations = standardise(artifact.featureNames, artifact.standardisation, features);
      for (const layer of artifact.layers) {
        const pre = affine(activations, layer.weights, layer.bias);
        activations = layer.activation === 'relu' ? pre.map((v) => Math.max(0, v)) : softmax(pre);
      }
      return activations;
    }
    case 'gradient-boosting': {
      const x = artifact.featureNames.map((name) => requireFeature(features, name));
      const logits = [...artifact.init];
      for (const round of artifact.trees) {
        for (let k = 0; k < round.length; k++) logits[k]! += treeValue(round[k]!, x);
      }
      return softmax(logits);
    }
  }
}

export function treeValue(tree: RegressionTree, x: readonly number[]): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = x[tree.feature[node]!]! < tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

export function standardise(
  names: readonly string[],
  standardisation: Standardisation,
  features: FeatureValues,
): number[] {
  return names.map(
    (name, j) => (requireFeature(features, name) - standardisation.mean[j]!) / standardisation.std[j]!,
  );
}

export function affine(
  input: readonly number[],
  weights: readonly (readonly number[])[],
  bias: readonly number[],
): number[] {
  const output = [...bias];
  for (let j = 0; j < input.length; j++) {
    const row = weights[j]!;
    const value = input[j]!;
    for (let k = 0; k < output.length; k++) output[k]! += value * row[k]!;
  }
  return output;
}

export function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / total);
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

function requireFeature(features: FeatureValues, name: string): number {
  const value = features[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(
      `Expected feature "${name}" to be a finite number, but got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}
