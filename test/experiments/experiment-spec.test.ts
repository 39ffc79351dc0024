import { describe, expect, it } from 'vitest';
import { controlArm, parseExperiment } from '../../experiments/experiment-spec.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { exampleExperiment, modelIds } from './experiment-example.ts';

const project = { modelIds, metricIds: ['log-loss', 'brier'] };

function errorOf(fn: () => unknown): MlfolioError {
  try {
    fn();
  } catch (error) {
    if (error instanceof MlfolioError) return error;
    throw error;
  }
  throw new Error('expected an MlfolioError');
}

describe('experiment declaration', () => {
  it('fills defaults for a valid experiment', () => {
    const experiment = parseExperiment(exampleExperiment(), 'experiment.yaml', project);
    expect(experiment.mode).toBe('ab');
    expect(experiment.stoppingRule).toEqual({ kind: 'fixed-horizon' });
    expect(experiment.layer).toEqual({ name: 'default', from: 0, to: 100 });
    expect(experiment.alpha).toBe(0.05);
    expect(controlArm(experiment)).toBe('elo-logistic');
  });

  it('names an unknown model and suggests the nearest', () => {
    const error = errorOf(() =>
      parseExperiment(
        exampleExperiment({
          arms: [
            { model: 'elo-logistic', control: true, traffic: 50 },
            { model: 'gradient-boostin', traffic: 50 },
          ],
        }),
        'experiment.yaml',
        project,
      ),
    );
    expect(error.code).toBe('E_EXPERIMENT_INVALID');
    expect(error.message).toContain('arms[1].model: unknown model "gradient-boostin"');
    expect(error.message).toContain('Did you mean "gradient-boosting"?');
  });

  it('refuses a split that does not sum to 100, showing the sum', () => {
    const error = errorOf(() =>
      parseExperiment(
        exampleExperiment({
          arms: [
            { model: 'elo-logistic', control: true, traffic: 50 },
            { model: 'mlp', traffic: 40 },
          ],
        }),
        'experiment.yaml',
        project,
      ),
    );
    expect(error.message).toContain('arms[].traffic: the split must sum to 100; received 50 + 40 = 90.');
  });

  it('refuses a minimum detectable effect of zero', () => {
    const error = errorOf(() =>
      parseExperiment(exampleExperiment({ minimumDetectableEffect: 0 }), 'experiment.yaml', project),
    );
    expect(error.message).toContain('minimumDetectableEffect: must be a non-zero effect');
    expect(error.message).toContain('received 0');
  });

  it('refuses zero or two controls and an unknown metric', () => {
    const error = errorOf(() =>
      parseExperiment(
        exampleExperiment({
          arms: [
            { model: 'elo-logistic', control: true, traffic: 50 },
            { model: 'mlp', control: true, traffic: 50 },
          ],
          primaryMetric: { metric: 'log-los', better: 'lower' },
        }),
        'experiment.yaml',
        project,
      ),
    );
    expect(error.message).toContain('exactly one arm must have `control: true`; received 2');
    expect(error.message).toContain(
      'primaryMetric.metric: unknown metric "log-los". Did you mean "log-loss"?',
    );
  });

  it('names a misspelt field and an invalid mode with their paths', () => {
    const error = errorOf(() =>
      parseExperiment(
        { ...exampleExperiment(), mode: 'shadows', hypotesis: 'x' },
        'experiment.yaml',
        project,
      ),
    );
    expect(error.message).toContain('mode: received "shadows". Did you mean "shadow"?');
    expect(error.message).toContain('hypotesis: unknown field. Did you mean "hypothesis"?');
  });
});
