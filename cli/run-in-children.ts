import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pLimit from 'p-limit';

const cliBin = join(import.meta.dirname, 'bin.ts');

export interface ChildRun {
  slug: string;
  exitCode: number;
}

/**
 * Runs `mlfolio run <slug>` for every project, as many at once as the machine has cores (a
 * project's pipeline is one single-threaded process, so two projects on two cores take about as
 * long as the slower one). Each child's output is forwarded line by line, already prefixed with
 * its project by the child; a failing project does not stop the others. Resolves with every
 * project's exit code, in the order given.
 */
export async function runProjectsInChildren(
  slugs: readonly string[],
  options: { force: boolean; concurrency?: number; cwd?: string },
): Promise<ChildRun[]> {
  const limit = pLimit(Math.max(1, Math.min(slugs.length, options.concurrency ?? availableParallelism())));
  return Promise.all(
    slugs.map((slug) =>
      limit(
        () =>
          new Promise<ChildRun>((resolve, reject) => {
            const child = spawn(
              process.execPath,
              [cliBin, 'run', slug, ...(options.force ? ['--force'] : [])],
              {
                cwd: options.cwd ?? process.cwd(),
                stdio: ['ignore', 'pipe', 'pipe'],
                env: process.env,
              },
            );
            // Both streams go to stderr: `start` keeps stdout for its own summary.
            for (const stream of [child.stdout, child.stderr]) {
              createInterface({ input: stream }).on('line', (line) => process.stderr.write(`${line}\n`));
            }
            child.on('error', reject);
            child.on('close', (code, signal) => resolve({ slug, exitCode: code ?? (signal ? 1 : 0) }));
          }),
      ),
    ),
  );
}
