import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../portfolio/atomic-write.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import type { ModelSpec } from '../../portfolio/project-spec.ts';
import { parseWith } from '../../portfolio/validate.ts';
import { type Explanation, explainPrediction } from '../explain/contributions.ts';
import { type FeatureValues, type ModelArtifact, predictProbabilities } from './artifact.ts';
import { trainModel } from './train.ts';
import type { TrainingData } from './training-data.ts';

/**
 * The one interface every model kind is used through: fit, predict probabilities, save, load,
 * size and explain. The trained state is always a plain-JSON artifact, so a model saved by the
 * pipeline predicts identically in the server and the browser demo.
 */
export interface Model {
  readonly kind: ModelArtifact['kind'];
  readonly artifact: ModelArtifact;
  /** Class probabilities (home win, draw, away win) for one example. */
  predict(features: FeatureValues): number[];
  /** Bytes of the saved artifact. */
  size(): number;
  save(path: string): Promise<void>;
  /** Per-feature contributions to one prediction, against a reference example (baseline Shapley). */
  explain(features: FeatureValues, reference: FeatureValues): Explanation;
}

export function modelOf(artifact: ModelArtifact): Model {
  return {
    kind: artifact.kind,
    artifact,
    predict: (features) => predictProbabilities(artifact, features),
    size: () => Buffer.byteLength(serialiseArtifact(artifact)),
    save: (path) => writeFileAtomic(path, serialiseArtifact(artifact)),
    explain: (features, reference) => explainPrediction(artifact, features, reference),
  };
}

export async function fitModel(spec: ModelSpec, data: TrainingData, seed: number): Promise<Model> {
  return modelOf(await trainModel(spec, data, seed));
}

const numbers = z.array(z.number());
const standardisation = z.strictObject({ mean: numbers, std: numbers });
const tree = z.strictObject({
  feature: numbers,
  threshold: numbers,
  left: numbers,
  right: numbers,
  value: numbers,
});
/** The shape of every artifact kind, checked when a saved model is loaded. */
export const artifactSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('prior'), probabilities: numbers }),
  z.strictObject({
    kind: z.literal('elo'),
    featureNames: z.tuple([z.literal('elo_diff')]),
    scale: z.number(),
    slope: z.number(),
    thresholds: z.tuple([z.number(), z.number()]),
  }),
  z.strictObject({
    kind: z.literal('logistic-regression'),
    featureNames: z.array(z.string()),
    standardisation,
    weights: z.array(numbers),
    bias: numbers,
  }),
  z.strictObject({
    kind: z.literal('mlp'),
    featureNames: z.array(z.string()),
    standardisation,
    layers: z.array(
      z.strictObject({ weights: z.array(numbers), bias: numbers, activation: z.enum(['relu', 'softmax']) }),
    ),
  }),
  z.strictObject({
    kind: z.literal('gradient-boosting'),
    featureNames: z.array(z.string()),
    init: numbers,
    trees: z.array(z.array(tree)),
  }),
]);

/** Loads a saved artifact, validating its shape; a bad file is an error naming it and the field. */
export async function loadModel(path: string): Promise<Model> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_MODEL_UNREADABLE',
        message: `The model artifact ${path} cannot be read as JSON.`,
        hint: 'Rerun the pipeline (`mlfolio run <project> --force`) to write it again.',
      },
      { cause: error },
    );
  }
  return modelOf(parseWith(artifactSchema, data, path, 'E_MODEL_INVALID') as ModelArtifact);
}

/** Artifacts are saved as compact JSON: what is measured as the model's size is what is on disk. */
export function serialiseArtifact(artifact: ModelArtifact): string {
  return JSON.stringify(artifact);
}
