import { join, resolve } from 'node:path';

/**
 * Where a portfolio's files live. Every path the tool reads or writes comes from here, so tests
 * can point a whole run at a temporary directory.
 */
export interface Workspace {
  root: string;
  contentDir: string;
  projectsDir: string;
  /** Collected datasets, stage outputs and trained models: derived, never edited by hand. */
  stateDir: string;
  distDir: string;
}

export function workspaceAt(root: string = process.env.MLFOLIO_ROOT ?? process.cwd()): Workspace {
  const absolute = resolve(root);
  return {
    root: absolute,
    contentDir: join(absolute, 'content'),
    projectsDir: join(absolute, 'content', 'projects'),
    stateDir: join(absolute, '.mlfolio'),
    distDir: join(absolute, 'dist'),
  };
}

export const projectPaths = (workspace: Workspace, slug: string) => {
  const dir = join(workspace.projectsDir, slug);
  return {
    dir,
    specFile: join(dir, 'project.yaml'),
    writeupFile: join(dir, 'writeup.mdx'),
    runsDir: join(dir, 'runs'),
    dataDir: join(workspace.stateDir, 'data', slug),
    cacheDir: join(workspace.stateDir, 'cache', slug),
  };
};
