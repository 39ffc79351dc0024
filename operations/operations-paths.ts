import { join } from 'node:path';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';

/**
 * Where a project's operations records live: `content/projects/<slug>/operations/`. They sit
 * beside the runs they refer to and, like runs, are local state (git-ignored); the scheduled
 * workflow carries both between runs in its cache.
 */
export function operationsPaths(workspace: Workspace, slug: string) {
  const dir = join(projectPaths(workspace, slug).dir, 'operations');
  return {
    dir,
    deploymentsFile: join(dir, 'deployments.json'),
    monitoringDir: join(dir, 'monitoring'),
    decisionsDir: join(dir, 'decisions'),
  };
}

/** A sortable, filename-safe id for a record made at `at`, to the millisecond: `20261122T140102345Z`. */
export function recordId(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, '');
}
