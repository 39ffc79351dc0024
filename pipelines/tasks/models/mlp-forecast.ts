/**
 * The forward pass of the multilayer perceptron (see mlp.ts for the artifact and mlp-fit.ts for
 * training). Browser-safe: only types come from the model file, whose zod schemas must stay out of
 * the demo's bundle.
 */
import type { Forecast, Task } from '../task.ts';
import { checkRow } from './forecast-row.ts';
import type { MlpArtifact, MlpHead } from './mlp.ts';

/** The output head for a task. */
export function headFor(task: Task): MlpHead {
  switch (task.kind) {
    case 'binary':
      return 'sigmoid';
    case 'multiclass':
    case 'ordinal':
      return 'softmax';
    case 'regression':
      return 'identity';
    case 'count':
      return 'exp';
  }
}

/** Output units for a task: one, or one per class for softmax. */
export function headWidth(task: Task): number {
  return task.kind === 'multiclass' || task.kind === 'ordinal' ? task.classes.length : 1;
}

/** The output layer's values before the head, for a standardised input. */
export function mlpOutputs(layers: MlpArtifact['layers'], input: readonly number[]): number[] {
  let activations: readonly number[] = input;
  for (let l = 0; l < layers.length; l++) {
    const { weights, bias } = layers[l]!;
    const out = [...bias];
    for (let j = 0; j < activations.length; j++) {
      const a = activations[j]!;
      if (a === 0) continue;
      const row = weights[j]!;
      for (let k = 0; k < out.length; k++) out[k]! += a * row[k]!;
    }
    activations = l < layers.length - 1 ? out.map((v) => Math.max(v, 0)) : out;
  }
  return activations as number[];
}

/** One row's forecast (row in `artifact.featureNames` order). */
export function forecastMlp(artifact: MlpArtifact, row: readonly number[]): Forecast {
  checkRow(artifact.featureNames, row);
  const { mean, std } = artifact.standardisation;
  const out = mlpOutputs(
    artifact.layers,
    row.map((v, j) => (v - mean[j]!) / std[j]!),
  );
  switch (artifact.head) {
    case 'sigmoid': {
      const z = out[0]!;
      const p = z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
      return { kind: 'probabilities', p: [1 - p, p] };
    }
    case 'softmax': {
      const max = Math.max(...out);
      const exps = out.map((v) => Math.exp(v - max));
      const total = exps.reduce((a, b) => a + b, 0);
      return { kind: 'probabilities', p: exps.map((v) => v / total) };
    }
    case 'identity':
      return {
        kind: 'gaussian',
        mean: artifact.target!.mean + artifact.target!.scale * out[0]!,
        sd: artifact.sd!,
      };
    case 'exp':
      return { kind: 'poisson', mean: Math.exp(out[0]!) };
  }
}
