import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeployedModel } from '../operations/deployed-model.ts';
import { argmax } from '../pipelines/evaluation/metrics.ts';
import { explainPrediction, usedFeatures } from '../pipelines/explain/contributions.ts';
import { fixtureFeatures } from '../pipelines/features/match-features.ts';
import type { TeamState } from '../pipelines/features/team-history.ts';
import { type FeatureValues, predictProbabilities } from '../pipelines/models/artifact.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { explainedPredictionsLimit, type PredictionInput } from './prediction-schema.ts';

/** The model version a prediction came from: enough to find the run and artifact that made it. */
export interface ModelVersion {
  project: string;
  runId: string;
  runKey: string;
  modelId: string;
  kind: string;
  label: string;
  /** How the model came to be served: `latest-run-best`, or the promotion that chose it. */
  promotedBy: string;
  promotedAt: string | undefined;
}

export interface Prediction {
  /** Probability of each class, keyed by class (H, D, A). */
  probabilities: Record<string, number>;
  mostLikely: string;
  features: Record<string, number>;
  /** Per-feature change in each class probability from the reference fixture; sums to probabilities − reference. */
  contributions?: { feature: string; value: number; probabilities: Record<string, number> }[];
  reference?: Record<string, number>;
}

/** Predicts with one deployed model. Pure once built: no I/O per request. */
export interface Predictor {
  version: ModelVersion;
  classes: readonly string[];
  features: readonly string[];
  teams: readonly string[];
  dataEnd: string;
  predict(input: Omit<PredictionInput, 'explain'>, explain: boolean): Prediction;
  /** Most predictions one request may explain within `budget` forward passes. */
  maxExplained(budget: number): number;
}

export async function loadPredictor(deployed: DeployedModel): Promise<Predictor> {
  const stateFile = join(deployed.runDir, 'team-state.json');
  let teamStates: Record<string, TeamState>;
  try {
    teamStates = JSON.parse(await readFile(stateFile, 'utf8')) as Record<string, TeamState>;
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_TEAM_STATE_MISSING',
        message: `The team states of run ${deployed.run.runId} (${stateFile}) cannot be read.`,
        hint: `Rerun the pipeline with \`mlfolio run ${deployed.run.project} --force\`.`,
      },
      { cause: error },
    );
  }
  return createPredictor(deployed, teamStates);
}

export function createPredictor(deployed: DeployedModel, teamStates: Record<string, TeamState>): Predictor {
  const { run, model, artifact, deployment } = deployed;
  const classes = run.task.classes;
  const reference: FeatureValues = run.featureReference ?? {};
  const byClass = (values: readonly number[]) =>
    Object.fromEntries(classes.map((name, k) => [name, values[k]!]));
  const dataEnd = run.split.test.to;
  return {
    version: {
      project: run.project,
      runId: run.runId,
      runKey: run.key,
      modelId: model.id,
      kind: model.kind,
      label: model.label,
      promotedBy: deployment ? deployment.by : 'latest-run-best',
      promotedAt: deployment?.at,
    },
    classes,
    features: run.task.features,
    teams: Object.keys(teamStates).sort(),
    dataEnd,
    maxExplained: (budget) => explainedPredictionsLimit(usedFeatures(artifact).length, budget),
    predict(input, explain) {
      const features: Record<string, number> = input.fixture
        ? fixtureFeatures(
            teamStates[input.fixture.homeTeam]!,
            teamStates[input.fixture.awayTeam]!,
            input.fixture.date,
          )
        : (input.features as Record<string, number>);
      if (!explain) {
        const probabilities = predictProbabilities(artifact, features);
        return {
          probabilities: byClass(probabilities),
          mostLikely: classes[argmax(probabilities)]!,
          features,
        };
      }
      const explanation = explainPrediction(artifact, features, reference);
      return {
        probabilities: byClass(explanation.probabilities),
        mostLikely: classes[argmax(explanation.probabilities)]!,
        features,
        contributions: explanation.contributions.map((c) => ({
          feature: c.feature,
          value: c.value,
          probabilities: byClass(c.probabilities),
        })),
        reference: byClass(explanation.reference),
      };
    },
  };
}
