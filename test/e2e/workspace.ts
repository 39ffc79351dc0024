import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const repoRoot = join(import.meta.dirname, '../..');

/** A fresh portfolio folder holding a copy of the example's content files (no runs, no state). */
export async function exampleWorkspace(prefix = 'mlfolio-e2e-'): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const example = join(repoRoot, 'content/projects/football-match-outcomes');
  const target = join(root, 'content/projects/football-match-outcomes');
  await mkdir(target, { recursive: true });
  await cp(join(repoRoot, 'content/portfolio.yaml'), join(root, 'content/portfolio.yaml'));
  for (const file of ['project.yaml', 'writeup.mdx']) await cp(join(example, file), join(target, file));
  return root;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real `mlfolio` command in a child process, in `root`, as a user would (plus `env`). */
export function mlfolio(
  root: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'cli/bin.ts'), ...args],
      {
        cwd: root,
        env: { ...process.env, MLFOLIO_ROOT: root, NO_COLOR: '1', ...env },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}
