import type { ExperimentSpec } from '../../experiments/experiment-spec.ts';

/** The models a fictional project deploys. */
export const modelIds = ['elo-logistic', 'gradient-boosting', 'mlp'] as const;

/** A valid A/B experiment of two models on fixtures, as a project file would declare it. */
export function exampleExperiment(overrides: Partial<ExperimentSpec> = {}): ExperimentSpec {
  return {
    key: 'gbm-vs-elo',
    hypothesis: 'Gradient boosting lowers the log loss of served predictions against the Elo model.',
    arms: [
      { model: 'elo-logistic', control: true, traffic: 50 },
      { model: 'gradient-boosting', traffic: 50 },
    ],
    unit: 'fixture',
    primaryMetric: { metric: 'log-loss', better: 'lower' },
    minimumDetectableEffect: 0.02,
    plannedUnits: 4000,
    ...overrides,
  };
}
