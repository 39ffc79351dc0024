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

/** The line `mlfolio start` prints when every run has finished and the site's pages start to render. */
const runsDone = 'the runs are done';

/**
 * Runs `mlfolio start` in `root` with `code`'s CLI: its wall time until the process and its output
 * have ended, and the part of it after the runs finished (the render and the exit), when the CLI
 * says so (a first start; an unchanged rerun renders nothing).
 */
function start(root: string, code = repoRoot): Promise<{ total: number; afterRuns?: number }> {
  const t0 = performance.now();
  let runsDoneAt: number | undefined;
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [join(code, 'cli/bin.ts'), 'start'],
      {
        cwd: root,
        // Node's compile cache starts empty in each fresh copy: the first start compiles every
        // module, as on a fresh install; the rerun finds them compiled.
        env: { ...process.env, MLFOLIO_ROOT: root, NODE_COMPILE_CACHE: join(root, '.node-compile-cache') },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, _stdout, stderr) => {
        if (error) return reject(new Error(stderr));
        const end = performance.now();
        resolve({ total: end - t0, ...(runsDoneAt !== undefined ? { afterRuns: end - runsDoneAt } : {}) });
      },
    );
    // The end of the previous chunk too: the line may arrive in two.
    let tail = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString();
      if (runsDoneAt === undefined && text.includes(runsDone)) runsDoneAt = performance.now();
      tail = text.slice(-runsDone.length);
    });
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
const afterRuns: number[] = [];
const baselineFirst: number[] = [];
const baselineAfterRuns: number[] = [];
/** A first start and an unchanged rerun of `code` on a fresh copy of the portfolio. */
async function firstAndRerun(code: string) {
  const root = await examplePortfolio();
  const firstStart = await start(root, code);
  const rerunStart = await start(root, code);
  await rm(root, { recursive: true, force: true });
  return { first: firstStart.total, afterRuns: firstStart.afterRuns ?? Number.NaN, rerun: rerunStart.total };
}
async function timeBaseline(code: string) {
  const times = await firstAndRerun(code);
  baselineFirst.push(times.first);
  baselineAfterRuns.push(times.afterRuns);
}
const seconds = (ms: number) => (ms / 1000).toFixed(1);
for (let i = 0; i < repeats; i++) {
  const baselineFirstHere = baseline !== undefined && i % 2 === 1;
  if (baselineFirstHere) await timeBaseline(baseline);
  const times = await firstAndRerun(repoRoot);
  first.push(times.first);
  rerun.push(times.rerun);
  afterRuns.push(times.afterRuns);
  if (baseline !== undefined && !baselineFirstHere) await timeBaseline(baseline);
  process.stderr.write(
    `  repeat ${i + 1}/${repeats}: first ${seconds(times.first)} s (after the runs ${seconds(times.afterRuns)} s), rerun ${seconds(times.rerun)} s${baseline ? `, baseline first ${seconds(baselineFirst.at(-1)!)} s (after the runs ${seconds(baselineAfterRuns.at(-1)!)} s)` : ''}\n`,
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
console.log(
  `first run, from "${runsDone}" to the end (render and exit; median of ${repeats}): ${seconds(median(afterRuns))} s`,
);
if (baseline) {
  const differences = first.map((time, i) => time - baselineFirst[i]!);
  console.log(
    `baseline ${baseline}, first run (median of ${repeats}, alternated with this code's): ${seconds(median(baselineFirst))} s; after the runs ${seconds(median(baselineAfterRuns))} s`,
  );
  console.log(
    `this code minus the baseline, paired (median of ${repeats}): ${seconds(median(differences))} s (${differences.map(seconds).join(', ')})`,
  );
}
