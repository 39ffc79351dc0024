import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Workspace, workspaceAt } from '../../portfolio/workspace.ts';

const repo = join(import.meta.dirname, '..', '..');

/**
 * A portfolio in a temporary directory with the repository's real content: portfolio.yaml, the
 * skill graph, the example profile and, unless left out, the example project's files (not its runs).
 */
export async function tempWorkspace(
  options: { example?: boolean } = {},
): Promise<Workspace & { dispose(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-learning-'));
  await cp(join(repo, 'content'), join(root, 'content'), {
    recursive: true,
    filter: (source) =>
      !/[/\\]runs([/\\]|$)/.test(source) && (options.example !== false || !source.includes('projects')),
  });
  await writeFile(join(root, 'package-lock.json'), '{ "lockfileVersion": 3 }\n');
  return { ...workspaceAt(root), dispose: () => rm(root, { recursive: true, force: true }) };
}

/** A copy of `workspace` that a test may change freely. */
export async function copyWorkspace(workspace: Workspace): Promise<Workspace & { dispose(): Promise<void> }> {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-learning-'));
  await cp(workspace.root, root, { recursive: true });
  return { ...workspaceAt(root), dispose: () => rm(root, { recursive: true, force: true }) };
}
