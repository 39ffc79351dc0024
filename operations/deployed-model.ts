import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  listRunIds,
  type ModelResult,
  type RunRecord,
  readLatestRun,
  readRunRecord,
  runFileName,
} from '../pipelines/runs/run-record.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import type { ModelRef } from './deployment-record.ts';

/**
 * A model of a run by reference (a run gone under its id found by its key) with its artifact.
 * `checkRun` may refuse the run itself (its own error passes through); `check` accepts the
 * artifact or rejects it by throwing. Errors: `E_DEPLOYED_MODEL_MISSING` for a model the run lacks,
 * `E_ARTIFACT_CORRUPT` (with `check`'s reason) for an artifact that does not read as `what`.
 */
export async function readRunModel<A>(
  workspace: Workspace,
  slug: string,
  ref: ModelRef,
  options: {
    what: string;
    check: (artifact: A, run: RunRecord) => void;
    checkRun?: (run: RunRecord) => void;
  },
): Promise<{ ref: ModelRef; run: RunRecord; runDir: string; model: ModelResult; artifact: A }> {
  const { check, what } = options;
  const { runId, runDir, run } = await findRun(workspace, slug, ref);
  options.checkRun?.(run);
  const model = run.models.find((m) => m.id === ref.modelId);
  if (!model) {
    throw new MlfolioError({
      code: 'E_DEPLOYED_MODEL_MISSING',
      message: `Run ${runId} of "${slug}" has no model "${ref.modelId}" (models: ${run.models.map((m) => m.id).join(', ')}).`,
      hint: 'Name one of the run’s models, or check operations/deployments.json.',
    });
  }
  const artifactFile = join(runDir, model.artifact);
  let artifact: A;
  try {
    artifact = JSON.parse(await readFile(artifactFile, 'utf8')) as A;
    check(artifact, run);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_ARTIFACT_CORRUPT',
        message: `The model artifact ${artifactFile} cannot be read as ${what}: ${(error as Error).message}`,
        hint: `Rerun the pipeline with \`mlfolio run ${slug} --force\`.`,
      },
      { cause: error },
    );
  }
  return { ref: { runId, runKey: run.key, modelId: model.id }, run, runDir, model, artifact };
}

/**
 * The latest complete run of a project; `E_NO_RUN` when it has none, saying what that leaves
 * undone (`without`: by default, that there is no model to serve or deploy).
 */
export async function latestRun(
  workspace: Workspace,
  slug: string,
  without = 'so there is no model to serve or deploy',
): Promise<RunRecord> {
  const { runsDir } = projectPaths(workspace, slug);
  const run = await readLatestRun(runsDir);
  if (!run) {
    throw new MlfolioError({
      code: 'E_NO_RUN',
      message: `Project "${slug}" has no run in ${runsDir}, ${without}.`,
      hint: `Run \`mlfolio run ${slug}\` first.`,
    });
  }
  return run;
}

/**
 * The run a model reference names: by its id, or, when that id is gone, by its content key, since
 * a rerun on the same data and code (a fresh clone's `npm start`) reproduces it under a new id.
 * Throws `E_DEPLOYED_RUN_MISSING` when neither finds it.
 */
export async function findRun(
  workspace: Workspace,
  slug: string,
  ref: ModelRef,
): Promise<{ runId: string; runDir: string; run: RunRecord }> {
  const { runsDir } = projectPaths(workspace, slug);
  const ids = await listRunIds(runsDir);
  let runId = ids.includes(ref.runId) ? ref.runId : undefined;
  if (!runId) {
    for (const id of [...ids].reverse()) {
      const candidate = await readRunRecord(join(runsDir, id, runFileName)).catch(() => undefined);
      if (candidate?.key === ref.runKey) {
        runId = id;
        break;
      }
    }
  }
  if (!runId) {
    throw new MlfolioError({
      code: 'E_DEPLOYED_RUN_MISSING',
      message: `Project "${slug}" deploys model "${ref.modelId}" of run ${ref.runId} (key ${ref.runKey.slice(0, 12)}), which is not in ${runsDir}.`,
      hint: `Recreate it with \`mlfolio replay ${slug}\` (for the replayed example), or delete operations/deployments.json to deploy the best model of the latest run again.`,
      exitCode: 4,
    });
  }
  const runDir = join(runsDir, runId);
  return { runId, runDir, run: await readRunRecord(join(runDir, runFileName)) };
}
