import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../portfolio/atomic-write.ts';
import type { ModelSpec } from '../../portfolio/project-spec.ts';
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

export async function loadModel(path: string): Promise<Model> {
  return modelOf(JSON.parse(await readFile(path, 'utf8')) as ModelArtifact);
}

/** Artifacts are saved as compact JSON: what is measured as the model's size is what is on disk. */
export function serialiseArtifact(artifact: ModelArtifact): string {
  return JSON.stringify(artifact);
}
