/**
 * `npm run bench:start`: times `mlfolio start` on a fresh copy of the example portfolio, all its
 * projects (their files, not their runs) — first run (nothing computed yet, dependencies installed)
 * and an immediate rerun with nothing changed. Each is the wall time of the real CLI in a child
 * process, with an empty compile cache for the first run. Repeats: BENCH_REPEATS (default 3);
 * BENCH_CONTENT times another portfolio's `content/` folder instead.
 *
 * BENCH_BASELINE=<another mlfolio checkout, dependencies installed> times that code too, its first
 * start alternated with this one's in every repeat (which goes first alternates as well), and
 * reports the paired differences: this machine's speed drifts by a tenth or more within minutes,
 * which alternation cancels and separate runs of the benchmark do not.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../test/e2e/workspace.ts';
import { machineLine } from './machine.ts';

const repeats = Number(process.env.BENCH_REPEATS ?? 3);
/** The content folder copied: the example portfolio, or BENCH_CONTENT (another portfolio's `content/`). */
const content = process.env.BENCH_CONTENT ?? join(repoRoot, 'content');

const baseline = process.env.BENCH_BASELINE;

function start(root: string, code = repoRoot): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(code, 'cli/bin.ts'), 'start'],
      {
        cwd: root,
        // Node's compile cache starts empty in each fresh copy: the first start compiles every
        // module, as on a fresh install; the rerun finds them compiled.
        env: { ...process.env, MLFOLIO_ROOT: root, NODE_COMPILE_CACHE: join(root, '.node-compile-cache') },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, _stdout, stderr) => (error ? reject(new Error(stderr)) : resolve(performance.now() - t0)),
    );
  });
}

/** A fresh portfolio with every example project as it ships, without runs; the shipped datasets are read from mlfolio's folder. */
async function examplePortfolio(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-bench-start-'));
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(content, 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  for (const project of await readdir(join(content, 'projects'))) {
    // Everything the project ships (its label logs and experiment records too), not what runs make.
    await cp(join(content, 'projects', project), join(root, 'content', 'projects', project), {
      recursive: true,
      filter: (path) => !/[/\\](runs|operations)$/.test(path),
    });
  }
  return root;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
const loadBefore = load();
const first: number[] = [];
const rerun: number[] = [];
const baselineFirst: number[] = [];
/** A first start and an unchanged rerun of `code` on a fresh copy of the portfolio. */
async function firstAndRerun(code: string): Promise<[number, number]> {
  const root = await examplePortfolio();
  const times: [number, number] = [await start(root, code), await start(root, code)];
  await rm(root, { recursive: true, force: true });
  return times;
}
for (let i = 0; i < repeats; i++) {
  const baselineFirstHere = baseline !== undefined && i % 2 === 1;
  if (baselineFirstHere) baselineFirst.push((await firstAndRerun(baseline))[0]);
  const [firstTime, rerunTime] = await firstAndRerun(repoRoot);
  first.push(firstTime);
  rerun.push(rerunTime);
  if (baseline !== undefined && !baselineFirstHere) baselineFirst.push((await firstAndRerun(baseline))[0]);
  process.stderr.write(
    `  repeat ${i + 1}/${repeats}: first ${(firstTime / 1000).toFixed(1)} s, rerun ${(rerunTime / 1000).toFixed(1)} s${baseline ? `, baseline first ${(baselineFirst.at(-1)! / 1000).toFixed(1)} s` : ''}\n`,
  );
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(`machine: ${machineLine()}; load average ${loadBefore} before, ${load()} after`);
console.log(
  `mlfolio start, first run (median of ${repeats}): ${(median(first) / 1000).toFixed(1)} s  [target ≤ 30 s]`,
);
console.log(
  `mlfolio start, unchanged rerun (median of ${repeats}): ${(median(rerun) / 1000).toFixed(1)} s  [target ≤ 2 s]`,
);
console.log(`speed-up of the rerun: ${(median(first) / median(rerun)).toFixed(1)}×`);
if (baseline) {
  const differences = first.map((time, i) => time - baselineFirst[i]!);
  console.log(
    `baseline ${baseline}, first run (median of ${repeats}, alternated with this code's): ${(median(baselineFirst) / 1000).toFixed(1)} s`,
  );
  console.log(
    `this code minus the baseline, paired (median of ${repeats}): ${(median(differences) / 1000).toFixed(1)} s (${differences.map((d) => (d / 1000).toFixed(1)).join(', ')})`,
  );
}
