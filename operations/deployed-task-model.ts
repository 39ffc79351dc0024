import type { ModelResult, RunRecord } from '../pipelines/runs/run-record.ts';
import { forecastWith, type TaskArtifact } from '../pipelines/tasks/models/forecast.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { latestRun, readRunModel } from './deployed-model.ts';

import { type Deployment, type ModelRef, readDeploymentLog } from './deployment-record.ts';

/** A model of a declared-engine run (run record version 2), loaded with its task artifact. */
export interface LoadedTaskModel {
  ref: ModelRef;
  run: RunRecord;
  runDir: string;
  model: ModelResult;
  artifact: TaskArtifact;
}

export interface DeployedTaskModel extends LoadedTaskModel {
  /** The promotion that chose it; undefined when it is the latest run's best candidate. */
  deployment: Deployment | undefined;
}

/**
 * The model a version 2 project serves: the last promotion in its deployment log, or, before any
 * promotion, the latest run's best candidate by the primary metric (`bestCandidate`; the run's
 * `best` when it trained no candidate), since a baseline is what a model is compared against,
 * not what is shipped.
 */
export async function resolveDeployedTaskModel(
  workspace: Workspace,
  slug: string,
): Promise<DeployedTaskModel> {
  const log = await readDeploymentLog(workspace, slug);
  const deployment = log.deployments.at(-1);
  if (deployment) return { ...(await loadTaskModel(workspace, slug, deployment.model)), deployment };
  const run = await latestRun(workspace, slug);
  const modelId = run.bestCandidate ?? run.best;
  return {
    ...(await loadTaskModel(workspace, slug, { runId: run.runId, runKey: run.key, modelId })),
    deployment: undefined,
  };
}

/**
 * Loads a model of a version 2 run by reference (a run gone under its id is found by its key).
 * The artifact is checked by what it does: it must forecast the run's reference row (the
 * training-period feature means) with the forecast kind of the run's task.
 */
export async function loadTaskModel(
  workspace: Workspace,
  slug: string,
  ref: ModelRef,
): Promise<LoadedTaskModel> {
  return readRunModel<TaskArtifact>(workspace, slug, ref, {
    what: 'a task model',
    check: checkTaskArtifact,
    checkRun: (run) => {
      if (run.schemaVersion === 2) return;
      throw new MlfolioError({
        code: 'E_PROJECT_VERSION',
        message: `Run ${run.runId} of "${slug}" was recorded by the version 1 pipeline; it has no task model or online store.`,
        hint: `Serve it with the version 1 server, or rerun the project as a version 2 file with \`mlfolio run ${slug}\`.`,
      });
    },
  });
}

const forecastKinds = {
  binary: 'probabilities',
  multiclass: 'probabilities',
  ordinal: 'probabilities',
  regression: 'gaussian',
  count: 'poisson',
} as const;

// Checked by forecasting rather than by the model kinds' zod schemas: importing the registry
// would load TensorFlow.js (the MLP's trainer) into the server.
function checkTaskArtifact(artifact: TaskArtifact, run: RunRecord): void {
  if (!Array.isArray(artifact?.featureNames)) throw new TypeError('it has no featureNames list');
  const reference = run.featureReference ?? {};
  const missing = artifact.featureNames.filter((name) => reference[name] === undefined);
  if (missing.length) {
    throw new TypeError(`it reads feature(s) ${missing.join(', ')} that the run does not record`);
  }
  const forecast = forecastWith(
    artifact,
    artifact.featureNames.map((name) => reference[name]!),
  );
  const expected = forecastKinds[run.task.kind];
  if (forecast.kind !== expected) {
    throw new TypeError(`it forecasts ${forecast.kind}, but a ${run.task.kind} task needs ${expected}`);
  }
  if (forecast.kind === 'probabilities') {
    const total = forecast.p.reduce((sum, p) => sum + p, 0);
    if (
      forecast.p.length !== run.task.classes.length ||
      forecast.p.some((p) => !Number.isFinite(p) || p < 0) ||
      Math.abs(total - 1) > 1e-9
    ) {
      throw new TypeError(
        `expected ${run.task.classes.length} probabilities summing to 1 for the reference row, but got ${JSON.stringify(forecast.p)}`,
      );
    }
  } else if (!Number.isFinite(forecast.mean)) {
    throw new TypeError(`its forecast mean for the reference row is ${forecast.mean}`);
  }
}
