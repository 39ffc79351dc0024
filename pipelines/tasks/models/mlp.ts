/**
 * A multilayer perceptron for every task: ReLU hidden layers and a head that fits the task —
 * sigmoid (binary), softmax (multiclass, ordinal), identity on a standardised target with a Gaussian
 * sd from held-back residuals (regression), exp for a Poisson mean (count). The artifact is plain
 * JSON, checked here; its forward pass `forecastMlp`, bundled into the in-browser demo, is in
 * `mlp-forecast.ts`; training, in TensorFlow.js, in `mlp-fit.ts`.
 */
import { z } from 'zod';
import { headFor, headWidth } from './mlp-forecast.ts';
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
