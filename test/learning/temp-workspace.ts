import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
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

/**
 * For a test file: returns a function making temporary workspaces without the example project,
 * each removed after the test that made it.
 */
export function disposableWorkspaces(): () => Promise<Workspace & { dispose(): Promise<void> }> {
  const disposers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const dispose of disposers.splice(0)) await dispose();
  });
  return async () => {
    const workspace = await tempWorkspace({ example: false });
    disposers.push(workspace.dispose);
    return workspace;
  };
}
