/**
 * The one forward pass of every model kind, dispatched on the artifact: used by the pipeline's
 * evaluation, the server and the in-browser demo. Its whole import graph is browser-safe — no
 * Node, TensorFlow or zod (the `*-forecast.ts` files import only types from the model files) — and
 * test/tasks/browser-safe-forecast.test.ts keeps it so.
 */
import type { Forecast } from '../task.ts';
import { forecastBaseline } from './baseline-forecast.ts';
import type { BaselineArtifact } from './baselines.ts';
import type { GradientBoostingArtifact } from './gradient-boosting.ts';
import { forecastGradientBoosting } from './gradient-boosting-forecast.ts';
import type { LinearArtifact } from './linear.ts';
import { forecastLinear } from './linear-forecast.ts';
import type { MlpArtifact } from './mlp.ts';
import { forecastMlp } from './mlp-forecast.ts';

export type TaskArtifact = BaselineArtifact | LinearArtifact | GradientBoostingArtifact | MlpArtifact;

/** A model's forecast for one row whose values are in `artifact.featureNames` order. */
export function forecastWith(artifact: TaskArtifact, row: readonly number[]): Forecast {
  switch (artifact.kind) {
    case 'gradient-boosting':
      return forecastGradientBoosting(artifact, row);
    case 'mlp':
      return forecastMlp(artifact, row);
    case 'logistic-regression':
    case 'multinomial-logit':
    case 'ordinal-logit':
    case 'ridge':
    case 'poisson-glm':
      return forecastLinear(artifact, row);
    default:
      return forecastBaseline(artifact, row);
  }
}
