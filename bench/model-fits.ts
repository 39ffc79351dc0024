/**
 * `npm run bench:model-fits -- <portfolio root> <project slug> [git revision]`: the CPU seconds of
 * every gradient-boosting and MLP fit a run of that project makes (the `train:<model>` fit and one
 * per backtest fold), on exactly the rows the run used: the cached `features` stage of a previous
 * `mlfolio run` in that root (run the project there first). Every fit is checked byte for byte
 * against the artifact that run stored, so a speed-up that moves a bit fails here.
 *
 * With a git revision (say `main`), the same fits also run with the model code of that revision
 * (its `pipelines/` and `portfolio/` extracted to a temporary folder), alternating with the current
 * code in one process, and the CPU ratio is printed: the before/after comparison, side by side.
 * Each side first fits once untimed (compiling its hot loops). BENCH_REPEATS (default 1) repeats the
 * timed rounds; BENCH_MODELS=boosting,mlp picks model ids. Exits 1 when an artifact differs.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rollingOriginFolds } from '../pipelines/split/time-split.ts';
import type { Task, TrainingSet } from '../pipelines/tasks/task.ts';
import { loadAnyProject } from '../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../portfolio/workspace.ts';
import { machineLine } from './machine.ts';

type Fit = (task: Task, data: TrainingSet, params: unknown, seed: number) => Promise<unknown>;

const [root, slug, revision] = process.argv.slice(2);
if (!root || !slug) {
  console.error('Usage: node bench/model-fits.ts <portfolio root> <project slug> [git revision]');
  process.exit(2);
}
const repoRoot = join(import.meta.dirname, '..');
const rounds = Number(process.env.BENCH_REPEATS ?? 1);

const project = (await loadAnyProject(workspaceAt(root), slug)).declared.file;
const cacheDir = join(root, '.mlfolio', 'cache', slug);
const cached = (prefix: string) =>
  readdirSync(cacheDir)
    .filter((name) => name.startsWith(prefix))
    .map((name) => JSON.parse(readFileSync(join(cacheDir, name), 'utf8')).output);
const features = cached('features-')[0] as {
  task: Task;
  featureNames: string[];
  x: number[][];
  outcomes: number[];
  times: string[];
  seasons: string[];
};
const split = cached('split-')[0] as { train: number[] };
if (!features || !split) {
  console.error(`No cached features or split in ${cacheDir}: run \`mlfolio run ${slug}\` in ${root} first.`);
  process.exit(2);
}
const timed = features.times.map((time, i) => ({ time, season: features.seasons[i]! }));
const folds = project.backtest.enabled
  ? rollingOriginFolds(timed, {
      minTrainSeasons: project.backtest.minTrainSeasons,
      maxFolds: project.backtest.maxFolds,
      gap: project.split.by === 'season' ? project.split.gap : 0,
    })
  : [];
// The last fold usually trains on the same seasons as the main split: the run fits those rows once.
const trainingSets = [split.train, ...folds.map((fold) => fold.train)].filter(
  (indices, i, all) => all.findIndex((other) => other.length === indices.length) === i,
);

async function fitsOf(base: string): Promise<Record<string, Fit>> {
  const boosting = await import(join(base, 'pipelines/tasks/models/gradient-boosting-fit.ts'));
  const mlp = await import(join(base, 'pipelines/tasks/models/mlp-fit.ts'));
  return {
    'gradient-boosting': (task, data, params, seed) =>
      Promise.resolve(boosting.fitGradientBoosting(task, data, params, seed)),
    mlp: mlp.fitMlp,
  };
}

const sides: { name: string; fits: Record<string, Fit> }[] = [
  { name: 'current', fits: await fitsOf(repoRoot) },
];
let extracted: string | undefined;
if (revision) {
  extracted = mkdtempSync(join(tmpdir(), 'model-fits-'));
  const archive = execFileSync('git', ['-C', repoRoot, 'archive', revision, 'pipelines', 'portfolio']);
  execFileSync('tar', ['-x', '-C', extracted], { input: archive });
  symlinkSync(join(repoRoot, 'node_modules'), join(extracted, 'node_modules'));
  sides.push({ name: revision, fits: await fitsOf(extracted) });
}

console.log(machineLine());
console.log(
  `${slug}: ${trainingSets.length} training sets (train and the backtest folds), ${rounds} round(s)`,
);
const only = process.env.BENCH_MODELS?.split(',');
const models = project.models.filter(
  (m) => (m.kind === 'gradient-boosting' || m.kind === 'mlp') && (!only || only.includes(m.id)),
);
let failed = false;
try {
  for (const model of models) {
    const featureNames = model.features ?? project.use ?? features.featureNames;
    const columns = featureNames.map((f) => features.featureNames.indexOf(f));
    const expected = new Map(
      cached(`train-${model.id}-`).map((output) => {
        const text = JSON.stringify(output.artifact);
        return [(output.artifact as { training: { rows: number } }).training.rows, text];
      }),
    );
    const cpu: Record<string, number> = {};
    // One untimed fit per side first, so neither side's time includes compiling its hot loops.
    const smallest = trainingSets.reduce((a, b) => (b.length < a.length ? b : a));
    for (const side of sides) {
      await side.fits[model.kind]!(
        features.task,
        {
          featureNames,
          rows: smallest.map((i) => columns.map((c) => features.x[i]![c]!)),
          outcomes: smallest.map((i) => features.outcomes[i]!),
        },
        model.params,
        project.seed,
      );
    }
    for (let round = 0; round < rounds; round++) {
      for (const side of sides) {
        let mismatches = 0;
        const before = process.cpuUsage();
        for (const indices of trainingSets) {
          const data: TrainingSet = {
            featureNames,
            rows: indices.map((i) => columns.map((c) => features.x[i]![c]!)),
            outcomes: indices.map((i) => features.outcomes[i]!),
          };
          const artifact = await side.fits[model.kind]!(features.task, data, model.params, project.seed);
          const want = expected.get(indices.length);
          if (want !== undefined && want !== JSON.stringify(artifact)) mismatches++;
          if (want === undefined) console.log(`  (no stored artifact for ${indices.length} rows)`);
        }
        const used = process.cpuUsage(before);
        cpu[side.name] = (cpu[side.name] ?? 0) + (used.user + used.system) / 1e6;
        if (mismatches > 0) failed = true;
        console.log(
          `${model.id} (${model.kind}) ${side.name}: ${((used.user + used.system) / 1e6).toFixed(2)} CPU s for ${trainingSets.length} fits, ${mismatches === 0 ? 'artifacts identical' : `${mismatches} artifacts DIFFER`}`,
        );
      }
    }
    if (revision) {
      console.log(
        `${model.id}: ${revision} / current CPU ratio ${(cpu[revision]! / cpu.current!).toFixed(2)}×`,
      );
    }
  }
} finally {
  if (extracted) rmSync(extracted, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
