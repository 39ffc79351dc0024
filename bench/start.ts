/**
 * `npm run bench:start`: times `mlfolio start` on a fresh copy of the example portfolio, all its
 * projects (their files, not their runs) — first run (nothing computed yet, dependencies installed)
 * and an immediate rerun with nothing changed. Each is the wall time of the real CLI in a child
 * process. Repeats: BENCH_REPEATS (default 3).
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test/e2e/workspace.ts';
import { machineLine } from './machine.ts';

const repeats = Number(process.env.BENCH_REPEATS ?? 3);

function start(root: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(repoRoot, 'cli/bin.ts'), 'start'],
      { cwd: root, env: { ...process.env, MLFOLIO_ROOT: root }, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(performance.now() - t0)),
    );
  });
}

/** A fresh portfolio with every example project as it ships, without runs; the shipped datasets are read from mlfolio's folder. */
async function examplePortfolio(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-bench-start-'));
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  for (const project of await readdir(join(repoRoot, 'content', 'projects'))) {
    // Everything the project ships (its label logs and experiment records too), not what runs make.
    await cp(join(repoRoot, 'content', 'projects', project), join(root, 'content', 'projects', project), {
      recursive: true,
      filter: (path) => !/[/\\](runs|operations)$/.test(path),
    });
  }
  return root;
}

const first: number[] = [];
const rerun: number[] = [];
for (let i = 0; i < repeats; i++) {
  const root = await examplePortfolio();
  first.push(await start(root));
  rerun.push(await start(root));
  await rm(root, { recursive: true, force: true });
  process.stderr.write(
    `  repeat ${i + 1}/${repeats}: first ${(first.at(-1)! / 1000).toFixed(1)} s, rerun ${(rerun.at(-1)! / 1000).toFixed(1)} s\n`,
  );
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`machine: ${machineLine()}`);
console.log(
  `mlfolio start, first run (median of ${repeats}): ${(median(first) / 1000).toFixed(1)} s  [target < 30 s]`,
);
console.log(
  `mlfolio start, unchanged rerun (median of ${repeats}): ${(median(rerun) / 1000).toFixed(1)} s  [target < 5 s]`,
);
console.log(`speed-up of the rerun: ${(median(first) / median(rerun)).toFixed(1)}×`);
