import { listProjects } from '../../portfolio/project-folders.ts';
import type { Workspace } from '../../portfolio/workspace.ts';

export const projectArg = {
  type: 'positional',
  description: 'Project slug (a folder under content/projects/). Default: every project.',
  required: false,
} as const;

export const forceArg = {
  type: 'boolean',
  description: 'Recompute every stage even if its inputs are unchanged.',
  default: false,
} as const;

/** The projects a command acts on: the one named, or all of them. */
export async function projectsFor(workspace: Workspace, name: string | undefined): Promise<string[]> {
  return name ? [name] : listProjects(workspace);
}
