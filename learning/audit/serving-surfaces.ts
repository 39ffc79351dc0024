import { join } from 'node:path';
import type { ModelRef } from '../../operations/deployment-record.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { isMlfolioError } from '../../portfolio/errors.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import type { ServingSurfaces } from './project-evidence.ts';

/**
 * How a reader can get a prediction from a model of this project's latest run, found in the
 * project's own files, never in the tool's (so the CLI and the site, wherever the audit's code
 * is bundled, reach the same verdict):
 * - `endpoint`: `mlfolio serve <slug>` serves the project's deployed model, and that model is one of
 *   the latest run's, and the server's predictor loads from the run folder with the project's
 *   feature views and the run's online store;
 * - `demo`: the site publishes the project's demo page (every project that is not a draft), and the
 *   latest run holds what that page reads (the best model's artifact and the run's state), loaded
 *   the way the server loads them.
 * `gaps` says why each missing surface is missing. A run recorded by the retired version 1 pipeline
 * has neither: the server and the demo read version 2 runs.
 */
export async function detectServingSurfaces(
  workspace: Workspace,
  slug: string,
  run: RunRecord,
  options: { draft: boolean },
): Promise<ServingSurfaces> {
  const surfaces: ServingSurfaces = { gaps: [] };
  if (run.schemaVersion !== 2) {
    surfaces.gaps.push(
      `The latest run ${run.runId} was recorded by the version 1 pipeline, which mlfolio no longer has; \`mlfolio run ${slug}\` records one that \`mlfolio serve\` and the demo page read.`,
    );
    return surfaces;
  }
  try {
    const deployed = await declaredEndpoint(workspace, slug);
    if (deployed.run.runId !== run.runId && deployed.run.key !== run.key) {
      surfaces.gaps.push(
        `\`mlfolio serve ${slug}\` serves model ${deployed.model.id} of run ${deployed.run.runId} (the last promotion in operations/deployments.json), not a model of the latest run ${run.runId}.`,
      );
    } else {
      surfaces.endpoint = `mlfolio serve ${slug}`;
    }
  } catch (error) {
    surfaces.gaps.push(`\`mlfolio serve ${slug}\` cannot serve it: ${reason(error)}`);
  }
  if (options.draft) {
    surfaces.gaps.push('The site publishes no demo page for a draft.');
    return surfaces;
  }
  try {
    const ref = { runId: run.runId, runKey: run.key, modelId: run.best };
    await declaredDemoInputs(workspace, slug, ref);
    surfaces.demo = `the site's demo page, projects/${slug}/demo/`;
  } catch (error) {
    surfaces.gaps.push(`The site's demo page cannot load ${run.best} of run ${run.runId}: ${reason(error)}`);
  }
  return surfaces;
}

/**
 * The project's deployed model, loaded as its server loads it (project file, online
 * store, artifact, DuckDB for formulas), then released. Imported lazily: only audits of a run need it.
 */
async function declaredEndpoint(workspace: Workspace, slug: string) {
  const { resolveDeployedTaskModel } = await import('../../operations/deployed-task-model.ts');
  const { loadDeclaredPredictor } = await import('../../serving/declared/declared-predictor.ts');
  const deployed = await resolveDeployedTaskModel(workspace, slug);
  const predictor = await loadDeclaredPredictor(workspace, slug, { model: deployed.ref });
  predictor.close();
  return deployed;
}

/**
 * What a demo page reads from the run: the best model's artifact (checked by
 * forecasting the run's reference row) and the run's online store.
 */
async function declaredDemoInputs(workspace: Workspace, slug: string, ref: ModelRef) {
  const { loadTaskModel } = await import('../../operations/deployed-task-model.ts');
  const { readOnlineStore } = await import('../../pipelines/feature-store/online-store.ts');
  const { runDir, run } = await loadTaskModel(workspace, slug, ref);
  await readOnlineStore(join(runDir, run.featureStore?.onlineStore ?? 'online-store.json'));
}

const reason = (error: unknown) => (isMlfolioError(error) ? error.message : String(error));
