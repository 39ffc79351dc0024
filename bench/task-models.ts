/**
 * `npm run bench:task-models`: every task model kind against its scikit-learn equivalent on the
 * same rows and time split, real data from ../shared/data (or MLFOLIO_SHARED_DATA):
 *
 * - MLB team seasons (Baseball Databank Teams.csv, CC BY-SA 3.0): next season's wins (regression)
 *   and next season's home runs (count) from this season's team table; train on target seasons
 *   1962–2005, test on 2006–2019; pairs touching a season shorter than 150 games (strikes, 2020) dropped.
 * - Men's international football (martj42/international_results, CC0): home win (binary), and
 *   away/draw/home (multiclass and ordinal), from a running Elo and form computed here in plain
 *   TypeScript; train on 1960–2009, test on 2010 onwards.
 *
 * The feature rows are written to temporary CSVs that bench/task_models_sklearn.py reads, so both
 * sides fit exactly the same rows. Training time is the median of several fits of each model after
 * one untimed warm-up fit, in one process per side (scikit-learn limited to one thread, like us).
 * Prints the machine and its load average, since a loaded machine makes every timing noisier.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { metricValue, type TaskMetricId } from '../pipelines/tasks/metrics.ts';
import { forecastBaseline } from '../pipelines/tasks/models/baseline-forecast.ts';
import { fitBaseline } from '../pipelines/tasks/models/baselines.ts';
import { fitLinear } from '../pipelines/tasks/models/linear.ts';
import { forecastLinear } from '../pipelines/tasks/models/linear-forecast.ts';
import type { Forecast, Task, TrainingSet } from '../pipelines/tasks/task.ts';
import { machineLine } from './machine.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const python = process.env.MLFOLIO_PYTHON ?? '/usr/bin/python3';
const repeats = Number(process.env.BENCH_REPEATS ?? 7);
const l2 = 1e-3;

const dataDir =
  process.env.MLFOLIO_SHARED_DATA ??
  [join(repoRoot, '../shared/data'), join(repoRoot, '../../shared/data')].find((dir) => existsSync(dir));
if (!dataDir) {
  console.error(
    'bench:task-models needs ../shared/data (or MLFOLIO_SHARED_DATA) with the MLB and international CSVs.',
  );
  process.exit(2);
}

interface Dataset {
  name: string;
  featureNames: string[];
  rows: number[][];
  outcomes: number[];
  isTest: boolean[];
}

function teamSeasons(): { wins: Dataset; homeRuns: Dataset } {
  const records = parse(readFileSync(join(dataDir!, 'csv/baseballdatabank_Teams.csv')), {
    columns: true,
  }) as Record<string, string>[];
  const byKey = new Map(records.map((r) => [`${r.franchID}:${r.yearID}`, r]));
  const featureNames = ['W', 'R', 'RA', 'ERA', 'HR', 'BB', 'SO', 'pythagorean_wins'];
  const wins: Dataset = { name: 'mlb-wins', featureNames, rows: [], outcomes: [], isTest: [] };
  const homeRuns: Dataset = { name: 'mlb-home-runs', featureNames, rows: [], outcomes: [], isTest: [] };
  for (const now of records) {
    const next = byKey.get(`${now.franchID}:${Number(now.yearID) + 1}`);
    const year = Number(now.yearID) + 1;
    if (!next || year < 1962 || year > 2019 || Number(now.G) < 150 || Number(next.G) < 150) continue;
    const r = Number(now.R);
    const ra = Number(now.RA);
    const row = [
      Number(now.W),
      r,
      ra,
      Number(now.ERA),
      Number(now.HR),
      Number(now.BB),
      Number(now.SO),
      (162 * r ** 2) / (r ** 2 + ra ** 2),
    ];
    if (row.some((v) => !Number.isFinite(v))) continue;
    for (const [set, outcome] of [
      [wins, Number(next.W)],
      [homeRuns, Number(next.HR)],
    ] as const) {
      set.rows.push(row);
      set.outcomes.push(outcome);
      set.isTest.push(year >= 2006);
    }
  }
  return { wins, homeRuns };
}

/** Elo before each match (home advantage 100 unless neutral, K by match type, goal-margin multiplier) and 10-match goal-difference form. */
function internationalMatches(): Dataset {
  const text = gunzipSync(readFileSync(join(dataDir!, 'csv/international_results.csv.gz'))).toString('utf8');
  const records = parse(text, { columns: true }) as Record<string, string>[];
  const elo = new Map<string, number>();
  const form = new Map<string, number[]>();
  const featureNames = ['elo_diff', 'neutral', 'friendly', 'home_form', 'away_form'];
  const data: Dataset = { name: 'international', featureNames, rows: [], outcomes: [], isTest: [] };
  const mean = (values: number[] | undefined) =>
    values?.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
  for (const m of records) {
    const hs = Number(m.home_score);
    const as = Number(m.away_score);
    if (m.home_score === 'NA' || m.away_score === 'NA' || !Number.isFinite(hs) || !Number.isFinite(as))
      continue;
    const home = elo.get(m.home_team!) ?? 1500;
    const away = elo.get(m.away_team!) ?? 1500;
    const neutral = m.neutral === 'TRUE';
    const friendly = m.tournament === 'Friendly';
    const diff = home - away + (neutral ? 0 : 100);
    const year = Number(m.date!.slice(0, 4));
    if (year >= 1960) {
      data.rows.push([
        diff,
        neutral ? 1 : 0,
        friendly ? 1 : 0,
        mean(form.get(m.home_team!)),
        mean(form.get(m.away_team!)),
      ]);
      data.outcomes.push(hs > as ? 2 : hs === as ? 1 : 0);
      data.isTest.push(year >= 2010);
    }
    const expected = 1 / (1 + 10 ** (-diff / 400));
    const margin = Math.abs(hs - as);
    const multiplier = margin <= 1 ? 1 : margin === 2 ? 1.5 : (11 + margin) / 8;
    const change = (friendly ? 20 : 40) * multiplier * ((hs > as ? 1 : hs === as ? 0.5 : 0) - expected);
    elo.set(m.home_team!, home + change);
    elo.set(m.away_team!, away - change);
    for (const [team, gd] of [
      [m.home_team!, hs - as],
      [m.away_team!, as - hs],
    ] as const) {
      const recent = form.get(team) ?? [];
      recent.push(gd);
      if (recent.length > 10) recent.shift();
      form.set(team, recent);
    }
  }
  return data;
}

interface Comparison {
  task: Task;
  dataset: Dataset;
  outcomes?: (y: number) => number;
  metric: TaskMetricId;
  /** Our model: a linear kind or a baseline kind with params. */
  ours: {
    label: string;
    fit: (data: TrainingSet) => unknown;
    forecast: (artifact: unknown, row: number[]) => Forecast;
  };
  /** The scikit-learn model the Python script fits, and the metric it reports. */
  sklearn?: string;
}

const linear = (kind: Parameters<typeof fitLinear>[0], task: Task): Comparison['ours'] => ({
  label: kind,
  fit: (data) => fitLinear(kind, task, data, { l2 }),
  forecast: (artifact, row) => forecastLinear(artifact as never, row),
});
const baseline = (
  kind: Parameters<typeof fitBaseline>[0],
  task: Task,
  params: Record<string, unknown> = {},
  label: string = kind,
): Comparison['ours'] => ({
  label,
  fit: (data) => fitBaseline(kind, task, data, params),
  forecast: (artifact, row) => forecastBaseline(artifact as never, row),
});

const { wins, homeRuns } = teamSeasons();
const matches = internationalMatches();
const regression: Task = { kind: 'regression' };
const count: Task = { kind: 'count' };
const binary: Task = { kind: 'binary', classes: ['not home win', 'home win'] };
const multiclass: Task = { kind: 'multiclass', classes: ['away', 'draw', 'home'] };
const ordinal: Task = { kind: 'ordinal', classes: ['away', 'draw', 'home'] };
const homeWin = (y: number) => (y === 2 ? 1 : 0);

const comparisons: Comparison[] = [
  {
    task: regression,
    dataset: wins,
    metric: 'crps',
    ours: baseline('mean', regression),
    sklearn: 'DummyRegressor(mean)',
  },
  {
    task: regression,
    dataset: wins,
    metric: 'crps',
    ours: baseline('median', regression),
    sklearn: 'DummyRegressor(median)',
  },
  {
    task: regression,
    dataset: wins,
    metric: 'crps',
    ours: baseline('persistence', regression, { feature: 'W' }, 'persistence (last W)'),
  },
  {
    task: regression,
    dataset: wins,
    metric: 'crps',
    ours: baseline('persistence', regression, { feature: 'pythagorean_wins' }, 'persistence (Pythagorean W)'),
  },
  {
    task: regression,
    dataset: wins,
    metric: 'crps',
    ours: baseline('rating', regression, { feature: 'pythagorean_wins' }, 'rating (Pythagorean W)'),
  },
  { task: regression, dataset: wins, metric: 'crps', ours: linear('ridge', regression), sklearn: 'Ridge' },
  {
    task: count,
    dataset: homeRuns,
    metric: 'poisson_deviance',
    ours: baseline('mean-rate', count),
    sklearn: 'DummyRegressor(mean)',
  },
  {
    task: count,
    dataset: homeRuns,
    metric: 'poisson_deviance',
    ours: baseline('persistence', count, { feature: 'HR' }, 'persistence (last HR)'),
  },
  {
    task: count,
    dataset: homeRuns,
    metric: 'poisson_deviance',
    ours: linear('poisson-glm', count),
    sklearn: 'PoissonRegressor',
  },
  {
    task: binary,
    dataset: matches,
    outcomes: homeWin,
    metric: 'log_loss',
    ours: baseline('class-prior', binary),
    sklearn: 'DummyClassifier(prior)',
  },
  {
    task: binary,
    dataset: matches,
    outcomes: homeWin,
    metric: 'log_loss',
    ours: baseline('rating', binary, { feature: 'elo_diff' }, 'rating (elo_diff)'),
  },
  {
    task: binary,
    dataset: matches,
    outcomes: homeWin,
    metric: 'log_loss',
    ours: linear('logistic-regression', binary),
    sklearn: 'LogisticRegression',
  },
  {
    task: multiclass,
    dataset: matches,
    metric: 'log_loss',
    ours: baseline('class-prior', multiclass),
    sklearn: 'DummyClassifier(prior)',
  },
  {
    task: multiclass,
    dataset: matches,
    metric: 'log_loss',
    ours: linear('multinomial-logit', multiclass),
    sklearn: 'LogisticRegression(multinomial)',
  },
  {
    task: ordinal,
    dataset: matches,
    metric: 'rps',
    ours: baseline('class-prior', ordinal),
    sklearn: 'DummyClassifier(prior)',
  },
  {
    task: ordinal,
    dataset: matches,
    metric: 'rps',
    ours: baseline('rating', ordinal, { feature: 'elo_diff' }, 'rating (elo_diff)'),
  },
  {
    task: ordinal,
    dataset: matches,
    metric: 'rps',
    ours: linear('ordinal-logit', ordinal),
    sklearn: 'LogisticRegression(multinomial)',
  },
  {
    task: ordinal,
    dataset: matches,
    metric: 'rps',
    ours: linear('multinomial-logit', ordinal),
    sklearn: 'LogisticRegression(multinomial)',
  },
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function splitOf(dataset: Dataset, outcomes: (y: number) => number = (y) => y) {
  const pick = (test: boolean) => {
    const index = dataset.isTest.flatMap((t, i) => (t === test ? [i] : []));
    return {
      featureNames: dataset.featureNames,
      rows: index.map((i) => dataset.rows[i]!),
      outcomes: index.map((i) => outcomes(dataset.outcomes[i]!)),
    };
  };
  return { train: pick(false), test: pick(true) };
}

const directory = await mkdtemp(join(tmpdir(), 'mlfolio-bench-task-models-'));
try {
  const files: Record<string, string> = {};
  for (const dataset of [wins, homeRuns, matches]) {
    const file = join(directory, `${dataset.name}.csv`);
    const lines = [[...dataset.featureNames, 'is_test', 'outcome'].join(',')];
    dataset.rows.forEach((row, i) => {
      lines.push([...row, dataset.isTest[i] ? 1 : 0, dataset.outcomes[i]].join(','));
    });
    await writeFile(file, `${lines.join('\n')}\n`);
    files[dataset.name] = file;
  }
  const spec = join(directory, 'spec.json');
  await writeFile(spec, JSON.stringify({ files, l2, repeats }));
  process.stderr.write(`  scikit-learn (${python}), ${repeats} fits of each model…\n`);
  const sklearn = await new Promise<Record<string, { metric: number; fit_ms: number }>>((resolve, reject) => {
    execFile(
      python,
      [join(repoRoot, 'bench/task_models_sklearn.py'), spec],
      {
        env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`${python} failed:\n${stderr}`)) : resolve(JSON.parse(stdout)),
    );
  });

  process.stderr.write(`  mlfolio, ${repeats} fits of each model…\n`);
  const table: string[][] = [
    [
      'task (data, train → test rows)',
      'mlfolio model',
      'metric',
      'mlfolio',
      'scikit-learn',
      'sklearn',
      'Δ',
      'fit ms',
      'sklearn ms',
      'time ratio',
    ],
  ];
  for (const c of comparisons) {
    const { train, test } = splitOf(c.dataset, c.outcomes);
    const times: number[] = [];
    // One untimed fit first on both sides: the timings are of warm code, not of the JIT compiling it.
    let artifact: unknown = c.ours.fit(train);
    for (let r = 0; r < repeats; r++) {
      const t0 = performance.now();
      artifact = c.ours.fit(train);
      times.push(performance.now() - t0);
    }
    // A forecast takes the row in the artifact's own feature order (a baseline uses one feature).
    const columns = (artifact as { featureNames: string[] }).featureNames.map((name) =>
      c.dataset.featureNames.indexOf(name),
    );
    const forecasts = test.rows.map((row) =>
      c.ours.forecast(
        artifact,
        columns.map((j) => row[j]!),
      ),
    );
    const ours = metricValue(c.metric, c.task, forecasts, test.outcomes);
    const ms = median(times);
    const theirs = c.sklearn ? sklearn[`${c.task.kind}:${c.sklearn}`] : undefined;
    table.push([
      `${c.task.kind} (${c.dataset.name}, ${train.rows.length} → ${test.rows.length})`,
      c.ours.label,
      c.metric,
      ours.toFixed(4),
      c.sklearn ?? '—',
      theirs ? theirs.metric.toFixed(4) : '',
      theirs ? (ours - theirs.metric).toFixed(4) : '',
      ms < 10 ? ms.toFixed(2) : ms.toFixed(0),
      theirs ? (theirs.fit_ms < 10 ? theirs.fit_ms.toFixed(2) : theirs.fit_ms.toFixed(0)) : '',
      theirs ? `${(ms / theirs.fit_ms).toFixed(2)}×` : '',
    ]);
  }
  const widths = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  const line = (r: string[]) => `| ${r.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ')} |`;
  console.log(`machine: ${machineLine()}, load average ${loadavg()[0]!.toFixed(1)}`);
  console.log(
    `command: npm run bench:task-models (l2 = ${l2}, median of ${repeats} fits, Δ = mlfolio − scikit-learn; lower metric is better)\n`,
  );
  console.log(line(table[0]!));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of table.slice(1)) console.log(line(r));
} finally {
  await rm(directory, { recursive: true, force: true });
}
