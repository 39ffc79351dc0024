import type { ArmPredictor } from '../../experiments/serving.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { describeIssues, RequestValidationError } from '../request-issues.ts';
import { defaultServerOptions } from '../server-options.ts';
import { type DeclaredPredictorOptions, loadDeclaredPredictor } from './declared-predictor.ts';
import { eventRequestSchemas, type TaskPredictionItem } from './request-schema.ts';
import type { TaskPredictor } from './task-predictor.ts';

/**
 * A version 2 predictor as an experiment arm (`experiments/serving.ts`):
 * - `version`: `<run id>/<model id>`;
 * - `predict(input)`: `input` is one prediction item of the project's generated request schema,
 *   `{ event: {...} }` or `{ features: {...} }` (what POST /v1/predictions takes, without
 *   `explain`); an invalid input throws `RequestValidationError` (statusCode 400, `issues` naming
 *   each field under `input`), so validate with `itemSchemaOf(predictor)` before assigning if a
 *   malformed request must not count as an arm failure;
 * - the answer's `prediction` is the `TaskPrediction` the API returns, `featuresAsOf` the newest
 *   as-of time of the features used (absent when none read data), and `covariates` the run's best
 *   baseline score for the same feature row (`baseline:<id>`), when it differs from the arm's model.
 */
export function armPredictorFor(predictor: TaskPredictor): ArmPredictor {
  const schema = itemSchemaOf(predictor);
  return {
    version: `${predictor.version.runId}/${predictor.version.modelId}`,
    async predict(input: unknown) {
      const parsed = schema.safeParse(input, { reportInput: true });
      if (!parsed.success) {
        throw new RequestValidationError(describeIssues(schema, parsed.error.issues, 'input'), 'input');
      }
      const { prediction, covariates } = await predictor.predictWithCovariates(
        parsed.data as TaskPredictionItem,
      );
      return {
        prediction,
        ...(prediction.featuresAsOf === null ? {} : { featuresAsOf: prediction.featuresAsOf }),
        ...(Object.keys(covariates).length ? { covariates } : {}),
      };
    },
  };
}

/** The zod schema of one prediction item for this predictor (events or features). */
export function itemSchemaOf(predictor: TaskPredictor) {
  return eventRequestSchemas({
    ...predictor.request,
    maxBatch: defaultServerOptions.maxBatch,
    maxExplained: predictor.maxExplained(defaultServerOptions.explainBudget),
  }).item;
}

/**
 * One arm per model id, every one a model of the deployed run (the experiment's arms are models
 * of the project's latest run). Close them with `close()` when the server stops.
 */
export async function loadArmPredictors(
  workspace: Workspace,
  slug: string,
  modelIds: readonly string[],
  options: Omit<DeclaredPredictorOptions, 'model'> = {},
): Promise<{ arms: Record<string, ArmPredictor>; predictors: TaskPredictor[]; close: () => void }> {
  const deployed = await loadDeclaredPredictor(workspace, slug, options);
  const predictors: TaskPredictor[] = [deployed];
  try {
    const arms: Record<string, ArmPredictor> = {};
    for (const modelId of modelIds) {
      let predictor = predictors.find((p) => p.version.modelId === modelId);
      if (!predictor) {
        predictor = await loadDeclaredPredictor(workspace, slug, {
          ...options,
          model: { runId: deployed.version.runId, runKey: deployed.version.runKey, modelId },
        });
        predictors.push(predictor);
      }
      arms[modelId] = armPredictorFor(predictor);
    }
    const close = () => {
      for (const predictor of predictors) predictor.close();
    };
    return { arms, predictors, close };
  } catch (error) {
    for (const predictor of predictors) predictor.close();
    throw error;
  }
}
