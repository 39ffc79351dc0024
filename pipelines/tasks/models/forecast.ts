/**
 * The one forward pass of every model kind, dispatched on the artifact: used by the pipeline's
 * evaluation, the server and the in-browser demo. No Node or TensorFlow imports: it is bundled
 * into the demo page.
 */
import type { Forecast } from '../task.ts';
import { type BaselineArtifact, forecastBaseline } from './baselines.ts';
import { forecastGradientBoosting, type GradientBoostingArtifact } from './gradient-boosting.ts';
import { forecastLinear, type LinearArtifact } from './linear.ts';
import { forecastMlp, type MlpArtifact } from './mlp.ts';

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
