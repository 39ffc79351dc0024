import { type DeployedModel, loadModel, resolveDeployedModel } from '../../operations/deployed-model.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { isMlfolioError } from '../../portfolio/errors.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { loadPredictor } from '../../serving/predictor.ts';
import type { ServingSurfaces } from './project-evidence.ts';

/**
 * How a reader can get a prediction from a model of this project's latest run, found in the
 * project's own files, never in the tool's (so the CLI and the site, wherever the audit's code
 * is bundled, reach the same verdict):
 * - `endpoint`: `mlfolio serve <slug>` serves the project's deployed model, and that model is one of
 *   the latest run's, and the server's predictor loads from the run folder (version 2: with the
 *   project's feature views and the run's online store);
 * - `demo`: the site publishes the project's demo page (every project that is not a draft), and the
 *   latest run holds what that page reads (the best model's artifact and the run's state), loaded
 *   the way the server loads them.
 * `gaps` says why each missing surface is missing.
 */
export async function detectServingSurfaces(
  workspace: Workspace,
  slug: string,
  run: RunRecord,
  options: { draft: boolean },
): Promise<ServingSurfaces> {
  const surfaces: ServingSurfaces = { gaps: [] };
  try {
    const deployed =
      run.schemaVersion === 2
        ? await declaredEndpoint(workspace, slug)
        : await resolveDeployedModel(workspace, slug);
    if (deployed.run.runId !== run.runId && deployed.run.key !== run.key) {
      surfaces.gaps.push(
        `\`mlfolio serve ${slug}\` serves model ${deployed.model.id} of run ${deployed.run.runId} (the last promotion in operations/deployments.json), not a model of the latest run ${run.runId}.`,
      );
    } else {
      if (run.schemaVersion !== 2) await loadPredictor(deployed as DeployedModel);
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
    const best = await loadModel(workspace, slug, { runId: run.runId, runKey: run.key, modelId: run.best });
    await loadPredictor({ ...best, deployment: undefined });
    surfaces.demo = `the site's demo page, projects/${slug}/demo/`;
  } catch (error) {
    surfaces.gaps.push(`The site's demo page cannot load ${run.best} of run ${run.runId}: ${reason(error)}`);
  }
  return surfaces;
}

/**
 * A version 2 project's deployed model, loaded as its server loads it (project file, online
 * store, artifact, DuckDB for formulas), then released. Imported lazily: only v2 audits need it.
 */
async function declaredEndpoint(workspace: Workspace, slug: string) {
  const { resolveDeployedTaskModel } = await import('../../operations/deployed-task-model.ts');
  const { loadDeclaredPredictor } = await import('../../serving/declared/declared-predictor.ts');
  const deployed = await resolveDeployedTaskModel(workspace, slug);
  const predictor = await loadDeclaredPredictor(workspace, slug, { model: deployed.ref });
  predictor.close();
  return deployed;
}

const reason = (error: unknown) => (isMlfolioError(error) ? error.message : String(error));
