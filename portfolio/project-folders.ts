import { readdir, readFile } from 'node:fs/promises';
import { MlfolioError } from './errors.ts';
import { didYouMean } from './suggest.ts';
import { projectPaths, type Workspace } from './workspace.ts';

/** A project's folder name under content/projects/: lowercase words joined by hyphens. */
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export async function listProjects(workspace: Workspace): Promise<string[]> {
  try {
    const entries = await readdir(workspace.projectsDir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isDirectory() && slugPattern.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The project file of `slug` as text: an unknown slug (with the nearest one) or a missing file is
 * an error saying what to do. Shared by both file versions' loaders.
 */
export async function readProjectText(
  workspace: Workspace,
  slug: string,
): Promise<{ specFile: string; specText: string }> {
  const known = await listProjects(workspace);
  if (!known.includes(slug)) {
    throw new MlfolioError({
      code: 'E_PROJECT_UNKNOWN',
      message: `There is no project "${slug}" in ${workspace.projectsDir}.`,
      hint: known.length
        ? `${didYouMean(slug, known)} Projects here: ${known.join(', ')}.`
        : 'Create one with `mlfolio new <slug> --template match-outcome`.',
      exitCode: 2,
    });
  }
  const { specFile } = projectPaths(workspace, slug);
  try {
    return { specFile, specText: await readFile(specFile, 'utf8') };
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_PROJECT_FILE_MISSING',
        message: `Project "${slug}" has no project file at ${specFile}.`,
        hint: 'Every project folder needs a project.yaml; see the README section "Project files".',
      },
      { cause: error },
    );
  }
}
