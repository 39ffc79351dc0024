/**
 * `npm run bench:pipeline`: the example project's pipeline against scikit-learn on the same
 * features and split. Runs `mlfolio run` on a fresh copy of the example (first run, then a rerun
 * with nothing changed), exports the feature matrix it used to a temp CSV, fits scikit-learn's
 * LogisticRegression, HistGradientBoostingClassifier and MLPClassifier with matching settings
 * (Debian's python3-sklearn under /usr/bin/python3), and prints quality and wall time side by side.
 */
import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildFeatureTable } from '../pipelines/features/feature-table.ts';
import { readLatestRun } from '../pipelines/runs/run-record.ts';
import { splitBySeason } from '../pipelines/split/season-split.ts';
import { loadProject } from '../portfolio/project-spec.ts';
import { projectPaths, workspaceAt } from '../portfolio/workspace.ts';
import type { CollectedDataset } from '../scrapers/source.ts';
import type { MatchRecord } from '../scrapers/sources/openfootball/index.ts';
import { exampleWorkspace, repoRoot } from '../test/e2e/workspace.ts';
import { machineLine } from './machine.ts';

const slug = 'football-match-outcomes';
const python = process.env.MLFOLIO_PYTHON ?? '/usr/bin/python3';

function timed(
  command: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ ms: number; stdout: string }> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    execFile(command, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      error
        ? reject(new Error(`${command} ${args.join(' ')} failed:\n${stderr}`))
        : resolve({ ms: performance.now() - t0, stdout }),
    );
  });
}

const root = await exampleWorkspace('mlfolio-bench-pipeline-');
try {
  const env = { ...process.env, MLFOLIO_ROOT: root, NO_COLOR: '1' };
  const cli = [join(repoRoot, 'cli/bin.ts'), 'run', slug];
  process.stderr.write('  mlfolio run (first run, nothing cached)…\n');
  const first = await timed(process.execPath, cli, env);
  process.stderr.write('  mlfolio run (rerun, nothing changed)…\n');
  const rerun = await timed(process.execPath, cli, env);

  const workspace = workspaceAt(root);
  const project = await loadProject(workspace, slug);
  const paths = projectPaths(workspace, slug);
  const run = (await readLatestRun(paths.runsDir))!;
  const dataset = JSON.parse(
    await readFile(join(paths.dataDir, 'dataset.json'), 'utf8'),
  ) as CollectedDataset<MatchRecord>;
  const table = await buildFeatureTable(slug, dataset.records, project.spec.features);
  const split = splitBySeason(slug, table.rows, project.spec.split.testSeasons);
  const test = new Set(split.test);
  const csv = [
    [...project.spec.features, 'is_test', 'outcome'].join(','),
    ...[...split.train, ...split.test].map((i) => {
      const row = table.rows[i]!;
      return [...project.spec.features.map((f) => row.features[f]), test.has(i) ? 1 : 0, row.outcome].join(
        ',',
      );
    }),
  ].join('\n');
  const csvFile = join(root, 'features.csv');
  const paramsFile = join(root, 'params.json');
  await writeFile(csvFile, `${csv}\n`);
  await writeFile(
    paramsFile,
    JSON.stringify(Object.fromEntries(project.spec.models.map((m) => [m.id, 'params' in m ? m.params : {}]))),
  );
  process.stderr.write(
    `  scikit-learn (${python}) on the same ${split.train.length} training and ${split.test.length} test rows…\n`,
  );
  // One thread, like our pipeline: on a loaded 2-core machine OpenMP's spinning threads made
  // HistGradientBoosting ten times slower, which would flatter us.
  const sk = await timed(python, [join(repoRoot, 'bench/sklearn_pipeline.py'), csvFile, paramsFile], {
    OMP_NUM_THREADS: '1',
    ...process.env,
  });
  const sklearn = JSON.parse(sk.stdout) as Record<string, Record<string, number>> & { wall_s: number };

  const pairs: [string, string][] = [
    ['logreg', 'LogisticRegression'],
    ['boosting', 'HistGradientBoostingClassifier'],
    ['mlp', 'MLPClassifier'],
  ];
  const rows: string[][] = [
    ['model', 'RPS', 'log loss', 'accuracy', 'train s', 'train ratio (ours / sklearn)'],
  ];
  const f4 = (v: number | undefined) => (v === undefined ? '—' : v.toFixed(4));
  for (const id of ['prior', 'elo']) {
    const m = run.models.find((model) => model.id === id)!;
    rows.push([
      `mlfolio ${id}`,
      f4(m.metrics.rps?.value),
      f4(m.metrics.log_loss?.value),
      f4(m.metrics.accuracy?.value),
      (m.timings.trainMs / 1000).toFixed(2),
      '',
    ]);
  }
  let oursTrain = 0;
  let theirsTrain = 0;
  for (const [id, name] of pairs) {
    const m = run.models.find((model) => model.id === id)!;
    const s = sklearn[name]!;
    oursTrain += m.timings.trainMs / 1000;
    theirsTrain += s.fit_s!;
    rows.push([
      `mlfolio ${id}`,
      f4(m.metrics.rps?.value),
      f4(m.metrics.log_loss?.value),
      f4(m.metrics.accuracy?.value),
      (m.timings.trainMs / 1000).toFixed(2),
      `${(m.timings.trainMs / 1000 / s.fit_s!).toFixed(1)}×`,
    ]);
    rows.push([`sklearn ${name}`, f4(s.rps), f4(s.log_loss), f4(s.accuracy), s.fit_s!.toFixed(2), '']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(`machine: ${machineLine()}`);
  console.log(
    `command: npm run bench:pipeline (test season ${run.split.test.seasons.join(', ')}, ${run.split.test.rows} matches)\n`,
  );
  console.log(line(rows[0]!));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows.slice(1)) console.log(line(r));
  console.log('');
  console.log(
    `training, the three comparable models: mlfolio ${oursTrain.toFixed(1)} s, scikit-learn ${theirsTrain.toFixed(1)} s (${(oursTrain / theirsTrain).toFixed(1)}×)`,
  );
  console.log(
    `whole pipeline: mlfolio run ${(first.ms / 1000).toFixed(1)} s (collect → features → leakage guard → split → 5 models → evaluate with bootstrap intervals → ${run.backtest?.length ?? 0}-fold backtest → explain → impact → record) vs scikit-learn script ${sk.ms / 1000 < 10 ? (sk.ms / 1000).toFixed(2) : (sk.ms / 1000).toFixed(1)} s (python start-up, CSV read, 3 fits, scoring; no intervals, backtest or explanation) = ${(first.ms / sk.ms).toFixed(1)}×`,
  );
  console.log(
    `rerun with nothing changed: ${(rerun.ms / 1000).toFixed(2)} s (${(first.ms / rerun.ms).toFixed(0)}× faster than the first run)`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
