import {
  type DeployedTaskModel,
  loadTaskModel,
  resolveDeployedTaskModel,
} from '../../operations/deployed-task-model.ts';
import type { ModelRef } from '../../operations/deployment-record.ts';
import { collectEvents } from '../../pipelines/engine/collect-events.ts';
import { featureStoreSpecOf } from '../../pipelines/engine/feature-store-spec.ts';
import { openFeatureStore } from '../../pipelines/feature-store/index.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { type LoadedProject, loadProjectFile } from '../../portfolio/project-file/load.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { loadTaskPredictor, type TaskPredictor } from './task-predictor.ts';

export interface DeclaredPredictorOptions {
  /** Serve this model instead of the deployed one (reported as `promotedBy: "manual"`). */
  model?: ModelRef;
  /**
   * Serve past events point in time (for `mlfolio replay`): the run's events are collected again
   * (they must hash as the run recorded them) and the online store is materialised as of each
   * event's time. Without it, only events after the end of the data are served.
   */
  pointInTime?: boolean;
  now?: () => Date;
}

/**
 * The predictor of a version 2 project's deployed model (or `options.model`): its project file,
 * run, online store and artifact, plus the run's best baseline for covariates.
 */
export async function loadDeclaredPredictor(
  workspace: Workspace,
  slug: string,
  options: DeclaredPredictorOptions = {},
): Promise<TaskPredictor> {
  const project = await loadProjectFile(workspace, slug);
  const now = options.now ?? (() => new Date());
  const deployed: DeployedTaskModel = options.model
    ? {
        ...(await loadTaskModel(workspace, slug, options.model)),
        deployment: {
          at: now().toISOString(),
          model: options.model,
          by: 'manual',
          reason: 'chosen when the server started, not promoted',
        },
      }
    : await resolveDeployedTaskModel(workspace, slug);
  const { run } = deployed;
  const baselineId = run.bestBaseline;
  const baseline =
    baselineId && baselineId !== deployed.model.id
      ? await loadTaskModel(workspace, slug, { ...deployed.ref, modelId: baselineId })
          .then((loaded) => ({ id: baselineId, artifact: loaded.artifact }))
          .catch(() => undefined)
      : undefined;
  if (!options.pointInTime) return loadTaskPredictor(project, deployed, baseline);
  const session = await openRunEvents(workspace, project, deployed);
  try {
    // Built now, not on the first request (seconds on large tables, past a request's timeout).
    await session.histories();
    for (const view of session.plan.spec.views) if (view.kind === 'elo') await session.eloEvents(view);
    const predictor = await loadTaskPredictor(project, deployed, baseline, { history: session });
    return {
      ...predictor,
      close: () => {
        predictor.close();
        session.close();
      },
    };
  } catch (error) {
    session.close();
    throw error;
  }
}

/** The run's events in a feature-store session, collected again and checked against the run's hash. */
async function openRunEvents(workspace: Workspace, project: LoadedProject, deployed: DeployedTaskModel) {
  const spec = project.file;
  const {
    name: eventsName,
    table,
    rows,
  } = await collectEvents(workspace, project, { dataUntil: deployed.run.dataUntil });
  const recorded = deployed.run.inputs.dataset.sha256;
  if (table.provenance.sha256 !== recorded) {
    throw new MlfolioError({
      code: 'E_REPLAY_DATA_CHANGED',
      message: `Project "${project.slug}": the events of table "${eventsName}" no longer hash as run ${deployed.run.runId} recorded them (now ${table.provenance.sha256.slice(0, 12)}, recorded ${recorded.slice(0, 12)}), so its past events cannot be served as the run saw them.`,
      hint: `Rerun the project with \`mlfolio run ${project.slug}\` and replay the new run.`,
    });
  }
  return openFeatureStore(featureStoreSpecOf(spec), { rows }, `${project.specFile} (features)`);
}
