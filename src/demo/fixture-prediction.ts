/**
 * The demo's one computation, shared by the build (the first prediction, rendered without
 * JavaScript) and the browser: a fixture's features from the two teams' recorded state, then the
 * pipeline's own forward pass and contributions. Pure and browser-safe.
 */
import { type Explanation, explainPrediction } from '../../pipelines/explain/contributions.ts';
import { fixtureFeatures } from '../../pipelines/features/match-features.ts';
import type { TeamState } from '../../pipelines/features/team-history.ts';
import { type ModelArtifact, predictProbabilities } from '../../pipelines/models/artifact.ts';

export interface DemoModel {
  id: string;
  label: string;
  /** Embedded when small (and always for the default model); otherwise fetched from `href` on first use. */
  artifact?: ModelArtifact;
  href: string;
  sizeBytes: number;
}

/** Everything the demo page embeds, as JSON. */
export interface DemoData {
  classes: string[];
  classLabels: string[];
  /** Training-period mean of every feature: the reference point of contributions; null when the run lacks it. */
  reference: Record<string, number> | null;
  teams: Record<string, TeamState>;
  models: DemoModel[];
  defaults: { model: string; home: string; away: string; date: string };
  /** The earliest fixture date that lies after every recorded match. */
  minDate: string;
}

export interface FixturePrediction {
  features: Record<string, number>;
  explanation: Explanation;
}

export function predictFixture(
  data: DemoData,
  modelId: string,
  home: string,
  away: string,
  date: string,
): FixturePrediction {
  const model = data.models.find((m) => m.id === modelId);
  const homeState = data.teams[home];
  const awayState = data.teams[away];
  const artifact = model?.artifact;
  if (!artifact || !homeState || !awayState) {
    throw new RangeError(
      `Expected a loaded model and two known teams, but got ${modelId}, ${home}, ${away}.`,
    );
  }
  const features = fixtureFeatures(homeState, awayState, date);
  const explanation = data.reference
    ? explainPrediction(artifact, features, data.reference)
    : { probabilities: predictProbabilities(artifact, features), reference: [], contributions: [] };
  return { features, explanation };
}
