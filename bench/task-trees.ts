/**
 * `npm run bench:task-trees`: gradient-boosted trees and the MLP (pipelines/tasks/models) against
 * scikit-learn's HistGradientBoosting{Classifier,Regressor} and MLP{Classifier,Regressor} on the same
 * rows, in one run, on real data for four tasks (bench/task-datasets.ts). Prints the primary test
 * metric of each side and the training time (CPU and wall seconds, median of several fits) with
 * their ratio. CPU time is the figure to compare on a shared machine; scikit-learn runs with one
 * OpenMP thread, as our JavaScript does.
 *
 * The open datasets are read from ../shared/data (MLFOLIO_SHARED_DATA overrides the folder).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitGradientBoosting } from '../pipelines/tasks/models/gradient-boosting-fit.ts';
import { forecastGradientBoosting } from '../pipelines/tasks/models/gradient-boosting-forecast.ts';
import type { MlpParamsInput } from '../pipelines/tasks/models/mlp.ts';
import { fitMlp } from '../pipelines/tasks/models/mlp-fit.ts';
import { forecastMlp } from '../pipelines/tasks/models/mlp-forecast.ts';
import { backendName, tensorflow } from '../pipelines/tasks/models/tfjs-runtime.ts';
import type { Forecast, Task, TrainingSet } from '../pipelines/tasks/task.ts';
import { machineLine } from './machine.ts';
import { type BenchDataset, internationalMatches, mlbTeamSeasons } from './task-datasets.ts';

const repoRoot = join(import.meta.dirname, '..');
const dataDir = process.env.MLFOLIO_SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data');
const python = process.env.MLFOLIO_PYTHON ?? '/usr/bin/python3';
if (!existsSync(join(dataDir, 'csv', 'baseballdatabank_Teams.csv'))) {
  // Skipped, not failed, as test:real does: the data lives outside the repository.
  console.log(
    `bench:task-trees skipped: it needs the open datasets in ${dataDir}/csv (baseballdatabank_Teams.csv, international_results.csv.gz); set MLFOLIO_SHARED_DATA to the folder that holds csv/.`,
  );
  process.exit(0);
}

/** scikit-learn's HistGradientBoosting defaults, on both sides. */
const trees = {
  rounds: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: null,
  minLeafRows: 20,
  bins: 255,
  l2: 0,
};
const treeFits = 5;
const mlpSeeds = [1, 2, 3];
const mlpParams: Record<string, MlpParamsInput> = {
  'mlb-wins': { hidden: [16], epochs: 100, batchSize: 64, learningRate: 0.003, l2: 0.0001 },
  'mlb-home-runs': { hidden: [16], epochs: 100, batchSize: 64, learningRate: 0.003, l2: 0.0001 },
  'intl-home-win': { hidden: [16], epochs: 10, batchSize: 256, learningRate: 0.001, l2: 0.0001 },
  'intl-result': { hidden: [16], epochs: 10, batchSize: 256, learningRate: 0.001, l2: 0.0001 },
  'intl-result-ordinal': { hidden: [16], epochs: 10, batchSize: 256, learningRate: 0.001, l2: 0.0001 },
};

/** Log loss (binary, multiclass), RPS (ordinal), RMSE (regression), mean Poisson deviance (count). */
function primaryMetric(task: Task, forecasts: readonly Forecast[], outcomes: readonly number[]): number {
  let total = 0;
  forecasts.forEach((f, i) => {
    const y = outcomes[i]!;
    if (f.kind === 'probabilities' && task.kind === 'ordinal') {
      let forecast = 0;
      let observed = 0;
      for (let k = 0; k < f.p.length - 1; k++) {
        forecast += f.p[k]!;
        observed += y === k ? 1 : 0;
        total += (forecast - observed) ** 2 / (f.p.length - 1);
      }
    } else if (f.kind === 'probabilities') total += -Math.log(Math.max(f.p[y]!, 1e-15));
    else if (f.kind === 'gaussian') total += (f.mean - y) ** 2;
    else {
      const mu = Math.max(f.mean, 1e-6);
      total += 2 * ((y > 0 ? y * Math.log(y / mu) : 0) - (y - mu));
    }
  });
  const mean = total / forecasts.length;
  return task.kind === 'regression' ? Math.sqrt(mean) : mean;
}

const metricName = (task: Task) =>
  task.kind === 'regression'
    ? 'RMSE'
    : task.kind === 'count'
      ? 'Poisson deviance'
      : task.kind === 'ordinal'
        ? 'RPS'
        : 'log loss';

interface Timed {
  cpu: number[];
  wall: number[];
  metric: number;
}

async function timeFits<A>(
  seeds: readonly number[],
  train: (seed: number) => A | Promise<A>,
  score: (artifact: A) => number,
): Promise<Timed> {
  const cpu: number[] = [];
  const wall: number[] = [];
  const metrics: number[] = [];
  for (const seed of seeds) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    const artifact = await train(seed);
    const used = process.cpuUsage(c0);
    wall.push((performance.now() - w0) / 1000);
    cpu.push((used.user + used.system) / 1e6);
    metrics.push(score(artifact));
  }
  return { cpu, wall, metric: metrics.reduce((a, b) => a + b, 0) / metrics.length };
}

function toCsv(dataset: BenchDataset): string {
  const line = (set: TrainingSet, test: number) =>
    set.rows.map((row, i) => [...row, test, set.outcomes[i]].join(','));
  return `${[...dataset.train.featureNames, 'is_test', 'outcome'].join(',')}\n${[
    ...line(dataset.train, 0),
    ...line(dataset.test, 1),
  ].join('\n')}\n`;
}

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

const datasets = [...mlbTeamSeasons(dataDir), ...internationalMatches(dataDir)];
const work = await mkdtemp(join(tmpdir(), 'mlfolio-bench-task-trees-'));
try {
  const config = {
    trees,
    treeFits,
    mlpSeeds,
    heldBackFraction: 0.2,
    datasets: await Promise.all(
      datasets.map(async (dataset) => {
        const csv = join(work, `${dataset.name}.csv`);
        await writeFile(csv, toCsv(dataset));
        return {
          name: dataset.name,
          task: dataset.task.kind,
          csv,
          mlp: { hidden: [16], ...mlpParams[dataset.name] },
        };
      }),
    ),
  };
  const configFile = join(work, 'config.json');
  await writeFile(configFile, JSON.stringify(config));

  process.stderr.write('  mlfolio: trees and MLP…\n');
  const setupStart = performance.now();
  await tensorflow();
  const setupMs = performance.now() - setupStart;
  const ours: Record<string, { trees: Timed; mlp: Timed }> = {};
  for (const dataset of datasets) {
    const { task, train, test } = dataset;
    const treeResult = await timeFits(
      Array.from({ length: treeFits }, () => 42),
      (seed) => fitGradientBoosting(task, train, trees, seed),
      (a) =>
        primaryMetric(
          task,
          test.rows.map((row) => forecastGradientBoosting(a, row)),
          test.outcomes,
        ),
    );
    const mlpResult = await timeFits(
      mlpSeeds,
      (seed) => fitMlp(task, train, mlpParams[dataset.name]!, seed),
      (a) =>
        primaryMetric(
          task,
          test.rows.map((row) => forecastMlp(a, row)),
          test.outcomes,
        ),
    );
    ours[dataset.name] = { trees: treeResult, mlp: mlpResult };
    process.stderr.write(`    ${dataset.name} done\n`);
  }

  process.stderr.write(`  scikit-learn (${python}, one thread)…\n`);
  const stdout = await new Promise<string>((resolve, reject) =>
    execFile(
      python,
      [join(repoRoot, 'bench', 'task_trees_sklearn.py'), configFile],
      {
        env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
        maxBuffer: 16 << 20,
      },
      (error, out, stderr) => (error ? reject(new Error(`${python} failed:\n${stderr}`)) : resolve(out)),
    ),
  );
  const sklearn = JSON.parse(stdout) as Record<
    string,
    Record<'trees' | 'mlp', { metric: number; cpu_s: number[]; wall_s: number[]; cpu_s_with_sd?: number[] }>
  >;

  const header = [
    'data (task, train/test rows)',
    'model',
    'metric',
    'mlfolio',
    'scikit-learn',
    'diff',
    'fit CPU s (median)',
    'ratio',
    'ratio, same work',
    'fit wall s (median)',
    'first fit CPU s',
  ];
  const table: string[][] = [];
  for (const dataset of datasets) {
    for (const kind of ['trees', 'mlp'] as const) {
      const a = ours[dataset.name]![kind];
      const b = sklearn[dataset.name]![kind];
      table.push([
        `${dataset.name} (${dataset.task.kind}, ${dataset.train.rows.length}/${dataset.test.rows.length})`,
        kind === 'trees'
          ? `trees${dataset.task.kind === 'ordinal' ? ' (cumulative logit)' : ''} vs HistGradientBoosting`
          : `MLP vs MLP${dataset.task.kind === 'regression' || dataset.task.kind === 'count' ? 'Regressor' : 'Classifier'}`,
        metricName(dataset.task),
        a.metric.toFixed(4),
        b.metric.toFixed(4),
        (a.metric - b.metric >= 0 ? '+' : '') + (a.metric - b.metric).toFixed(4),
        `${median(a.cpu).toFixed(3)} / ${median(b.cpu_s).toFixed(3)}`,
        `${(median(a.cpu) / median(b.cpu_s)).toFixed(2)}×`,
        b.cpu_s_with_sd ? `${(median(a.cpu) / median(b.cpu_s_with_sd)).toFixed(2)}×` : '',
        `${median(a.wall).toFixed(3)} / ${median(b.wall_s).toFixed(3)}`,
        `${a.cpu[0]!.toFixed(3)} / ${b.cpu_s[0]!.toFixed(3)}`,
      ]);
    }
  }
  const widths = header.map((_, c) => Math.max(header[c]!.length, ...table.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(
    `machine: ${machineLine()}; load average ${(await import('node:os'))
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `TensorFlow.js backend: ${backendName()} (set up in ${setupMs.toFixed(0)} ms, not counted in fit times)`,
  );
  console.log('command: npm run bench:task-trees\n');
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of table) console.log(line(r));
  console.log(
    `\nTimes are mlfolio / scikit-learn; ratio = mlfolio CPU ÷ scikit-learn CPU. Trees: ${treeFits} fits each (deterministic); MLP: seeds ${mlpSeeds.join(', ')} on both sides (metric = their mean). ` +
      'For the ordinal task scikit-learn has only the softmax classifier, so its trees ignore the order; ours use the cumulative logit. ' +
      "Regression fits include mlfolio's held-back pass for the Gaussian sd (a fit on the first 80% of rows, then the refit on all), work scikit-learn's point model does not do: 'ratio, same work' times scikit-learn doing it too.",
  );
} finally {
  await rm(work, { recursive: true, force: true });
}
