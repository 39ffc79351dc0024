import { z } from 'zod';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { operationsPaths } from './operations-paths.ts';
import { readJsonRecord } from './record-files.ts';

/** A model, named by the run that trained it: what gets deployed, monitored and compared. */
export const modelRefSchema = z.strictObject({
  runId: z.string(),
  /** The run's content key: a rerun on the same data and code reproduces it under another id. */
  runKey: z.string(),
  modelId: z.string(),
});
export type ModelRef = z.output<typeof modelRefSchema>;

export const deploymentSchema = z.strictObject({
  at: z.string(),
  model: modelRefSchema,
  /** `retrain`: a retrain decision promoted it; `replay`: the replay deployed its starting model; `manual`: a person did. */
  by: z.enum(['retrain', 'replay', 'manual']),
  /** Id of the retrain decision that promoted it, when `by` is `retrain`. */
  decision: z.string().optional(),
  reason: z.string(),
});
export type Deployment = z.output<typeof deploymentSchema>;

/**
 * The promotion log of a project, newest last. The deployed model is the last entry's; with no
 * entry it is the best model of the latest run (see `resolveDeployedModel`).
 */
export const deploymentLogSchema = z.strictObject({
  schemaVersion: z.literal(1),
  project: z.string(),
  deployments: z.array(deploymentSchema),
});
export type DeploymentLog = z.output<typeof deploymentLogSchema>;

export async function readDeploymentLog(workspace: Workspace, slug: string): Promise<DeploymentLog> {
  const file = operationsPaths(workspace, slug).deploymentsFile;
  return (
    (await readJsonRecord(deploymentLogSchema, file, 'E_DEPLOYMENTS_CORRUPT')) ?? {
      schemaVersion: 1,
      project: slug,
      deployments: [],
    }
  );
}

export async function appendDeployment(
  workspace: Workspace,
  slug: string,
  deployment: Deployment,
): Promise<DeploymentLog> {
  const log = await readDeploymentLog(workspace, slug);
  const next: DeploymentLog = { ...log, deployments: [...log.deployments, deployment] };
  await writeJsonAtomic(operationsPaths(workspace, slug).deploymentsFile, next);
  return next;
}
