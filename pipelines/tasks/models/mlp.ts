/**
 * A multilayer perceptron for every task: ReLU hidden layers and a head that fits the task —
 * sigmoid (binary), softmax (multiclass, ordinal), identity on a standardised target with a Gaussian
 * sd from held-back residuals (regression), exp for a Poisson mean (count). The artifact is plain
 * JSON and `forecastMlp` is the pure forward pass bundled into the in-browser demo; training, in
 * TensorFlow.js, lives in `mlp-fit.ts`.
 */
import { z } from 'zod';
import type { Forecast, Task } from '../task.ts';
import { checkRow } from './forecast-row.ts';
import { taskSchema } from './task-schema.ts';

export const mlpParamsSchema = z.strictObject({
  /** Hidden layer widths; empty for a generalised linear model with the same head. */
  hidden: z.array(z.int().min(1).max(4096)).max(8).default([16]),
  epochs: z.int().min(1).max(100_000).default(50),
  /** Rows per Adam step (the last step of an epoch takes what is left). */
  batchSize: z.int().min(1).default(256),
  learningRate: z.number().gt(0).max(1).default(0.001),
  /** L2 penalty on weights (not biases), as scikit-learn's `alpha`: each step adds alpha·W / batch rows to the gradient. */
  l2: z.number().min(0).default(0.0001),
  /** Regression: the latest fraction of the training rows held back to measure the Gaussian sd. */
  heldBackFraction: z.number().gt(0).max(0.5).default(0.2),
  /** Regression: refit on every row after measuring the sd (true), or keep the model fitted without them. */
  refit: z.boolean().default(true),
});
export type MlpParams = z.output<typeof mlpParamsSchema>;
export type MlpParamsInput = z.input<typeof mlpParamsSchema>;

export type MlpHead = 'sigmoid' | 'softmax' | 'identity' | 'exp';

const layerSchema = z.strictObject({
  /** weights[j][k]: input j to unit k. */
  weights: z.array(z.array(z.number()).min(1)).min(1),
  bias: z.array(z.number()).min(1),
});

export const mlpArtifactSchema = z
  .strictObject({
    kind: z.literal('mlp'),
    task: taskSchema,
    featureNames: z.array(z.string()).min(1),
    /** Inputs are standardised with the training rows' mean and population sd (1 for a constant feature). */
    standardisation: z.strictObject({ mean: z.array(z.number()), std: z.array(z.number().positive()) }),
    /** Hidden layers (ReLU), then the output layer. */
    layers: z.array(layerSchema).min(1),
    head: z.enum(['sigmoid', 'softmax', 'identity', 'exp']),
    /** Regression: the network predicts (y − mean) / scale. */
    target: z.strictObject({ mean: z.number(), scale: z.number().positive() }).optional(),
    /** Regression: the Gaussian sd, root mean square of held-back residuals, in the target's units. */
    sd: z.number().positive().optional(),
    training: z.strictObject({
      rows: z.int().min(1),
      heldBackRows: z.int().min(0),
      epochs: z.int().min(1),
      steps: z.int().min(1),
      refit: z.boolean(),
      backend: z.string(),
    }),
  })
  .superRefine((artifact, context) => {
    const issue = (path: string, message: string) =>
      context.addIssue({ code: 'custom', path: [path], message });
    const d = artifact.featureNames.length;
    if (artifact.standardisation.mean.length !== d || artifact.standardisation.std.length !== d) {
      issue('standardisation', `expected ${d} means and sds, one per feature`);
    }
    let width = d;
    for (const layer of artifact.layers) {
      if (layer.weights.length !== width || layer.weights.some((row) => row.length !== layer.bias.length)) {
        issue('layers', `a layer's weights must be ${width} × (its bias length)`);
        return;
      }
      width = layer.bias.length;
    }
    if (width !== headWidth(artifact.task))
      issue('layers', `the output layer must have ${headWidth(artifact.task)} units`);
    if (artifact.head !== headFor(artifact.task))
      issue('head', `a ${artifact.task.kind} task uses the ${headFor(artifact.task)} head`);
    const regression = artifact.task.kind === 'regression';
    if (regression !== (artifact.sd !== undefined) || regression !== (artifact.target !== undefined)) {
      issue('sd', 'a regression artifact has a target scale and an sd, and only a regression artifact');
    }
  });
export type MlpArtifact = z.infer<typeof mlpArtifactSchema>;

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
