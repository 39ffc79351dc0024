import type { ModelSpec } from '../../portfolio/project-spec.ts';
import type { ModelArtifact } from './artifact.ts';
import { fitEloBaseline, fitPrior } from './baselines.ts';
import { fitGradientBoosting } from './gradient-boosting.ts';
import { fitLogisticRegression } from './logistic-regression.ts';
import { fitNetwork } from './neural-network.ts';
import type { TrainingData } from './training-data.ts';

/** Fits the model a project declares. Baselines need no TensorFlow; the networks load it lazily. */
export async function trainModel(spec: ModelSpec, data: TrainingData, seed: number): Promise<ModelArtifact> {
  switch (spec.kind) {
    case 'prior':
      return fitPrior(data);
    case 'elo':
      return fitEloBaseline(data);
    case 'logistic-regression': {
      const { solver, ...params } = spec.params;
      return solver === 'newton'
        ? fitLogisticRegression(data, { l2: params.l2 })
        : fitNetwork(data, { hidden: [], batchSize: Number.POSITIVE_INFINITY, seed, ...params });
    }
    case 'mlp':
      return fitNetwork(data, { seed, ...spec.params });
    case 'gradient-boosting':
      return fitGradientBoosting(data, { seed, ...spec.params });
  }
}

export const isBaseline = (spec: ModelSpec): boolean => spec.kind === 'prior' || spec.kind === 'elo';

export const defaultModelLabels: Record<ModelSpec['kind'], string> = {
  prior: 'Prior (outcome frequencies)',
  elo: 'Elo ordered logit',
  'logistic-regression': 'Multinomial logistic regression',
  mlp: 'Neural network (MLP)',
  'gradient-boosting': 'Gradient-boosted trees',
};

/** How readily a person can read the model's reasoning from its parameters. */
export const interpretability: Record<ModelSpec['kind'], 'high' | 'medium' | 'low'> = {
  prior: 'high',
  elo: 'high',
  'logistic-regression': 'medium',
  mlp: 'low',
  'gradient-boosting': 'low',
};
