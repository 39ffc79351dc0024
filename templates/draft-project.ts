import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { pathExists } from '../portfolio/files.ts';
import { projectSpecSchema } from '../portfolio/project-spec.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';

/**
 * Why a project cannot run yet, or undefined when the pipeline can run it: a project file that
 * declares a task the pipeline does not run yet (a stats-table scaffold) is a draft, collected or not. `npm start` skips drafts instead of failing; `mlfolio audit` lists
 * what each one is missing.
 */
export async function draftReason(workspace: Workspace, slug: string): Promise<string | undefined> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(projectPaths(workspace, slug).specFile, 'utf8'));
  } catch {
    return undefined; // loadProject reports a missing or broken file with its own, precise error.
  }
  const task = (raw as { task?: unknown } | null)?.task;
  if (task === undefined || projectSpecSchema.shape.task.safeParse(task).success) return undefined;
  const collected = await pathExists(join(projectPaths(workspace, slug).dataDir, 'dataset.json'));
  return collected
    ? `its data is collected, but the pipeline does not run task "${String(task)}" yet`
    : `its data is not collected yet (\`mlfolio scrape ${slug}\`) and the pipeline does not run task "${String(task)}" yet`;
}
