/**
 * Part of `npm run bench:serve`: what an experiment adds to a version 2 server's latency. One
 * `mlfolio serve` process (child) serves the same run two ways, measured alternately with
 * autocannon from this process: `POST /v1/predictions` (the control model, no experiment) and
 * `POST /experiments/<key>/predictions` (input check, assignment, the arm's prediction, a
 * synchronous append to the exposure log), 99% of units to the control on the server's own
 * predictor and 1% to another model, each request a new unit. Reports p50/p99 of each, and the p99 ratio (target ≤ 1.10).
 *
 * The server runs on a throw-away copy of the project (its file with only the benchmark's
 * experiment, its runs linked), so the shipped exposure log is never touched.
 * BENCH_EXPERIMENT_PROJECT (default international-match-outcomes), BENCH_SECONDS (default 10),
 * BENCH_ROUNDS (default 2), BENCH_CONNECTIONS (default 8); CONTROL/TREATMENT models by
 * BENCH_ARMS=control,treatment (default elo,logreg).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { parse, stringify } from 'yaml';
import { readExposureLog } from '../experiments/exposure-log.ts';
import { startExperiment } from '../experiments/pre-registration.ts';
import { experimentPaths } from '../experiments/project-experiments.ts';
import { loadProjectFile, parseProjectText } from '../portfolio/project-file/load.ts';
import { projectPaths, workspaceAt } from '../portfolio/workspace.ts';
import { machineLine } from './machine.ts';

const slug = process.env.BENCH_EXPERIMENT_PROJECT ?? 'international-match-outcomes';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 2);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const [controlModel, treatmentModel] = (process.env.BENCH_ARMS ?? 'elo,logreg').split(',') as [
  string,
  string,
];
const key = 'serving-overhead';
const root = join(import.meta.dirname, '..');
const loadAverageAtStart = loadavg()[0]!;

const workspace = workspaceAt();
const real = projectPaths(workspace, slug);
await loadProjectFile(workspace, slug);

// A throw-away portfolio: the project file with the benchmark's experiment only, the runs linked.
const temporary = await mkdtemp(join(tmpdir(), 'mlfolio-bench-experiment-'));
const copy = workspaceAt(temporary);
const copyPaths = projectPaths(copy, slug);
await mkdir(copyPaths.dir, { recursive: true });
await symlink(real.runsDir, copyPaths.runsDir);
const raw = parse(await readFile(real.specFile, 'utf8')) as Record<string, unknown>;
raw.experiments = [
  {
    key,
    hypothesis: 'Benchmark: what assignment and exposure logging add to the latency of a prediction.',
    arms: [
      // Nearly all traffic to the control, the model /v1/predictions serves, on the same predictor
      // instance: the two paths then differ by the experiment's own work only.
      { model: controlModel, control: true, traffic: 99 },
      { model: treatmentModel, traffic: 1 },
    ],
    unit: 'client',
    primaryMetric: { metric: 'log_loss', better: 'lower' },
    minimumDetectableEffect: 0.01,
    plannedUnits: 1000,
  },
];
const text = stringify(raw);
await writeFile(copyPaths.specFile, text);
const project = parseProjectText(slug, text, copyPaths.specFile);
const paths = experimentPaths(copy, slug, key);
await startExperiment(paths.registry, project.file.experiments![0]!);

const server = spawn(
  process.execPath,
  [join(root, 'cli', 'bin.ts'), 'serve', slug, '--port', '0', '--quiet', '--model', controlModel],
  { env: { ...process.env, MLFOLIO_ROOT: temporary }, stdio: ['ignore', 'pipe', 'inherit'] },
);
try {
  const url = await listening(server);
  const model = (await (await fetch(`${url}/v1/model`)).json()) as {
    dataEnd: string;
    event: { roles: Record<string, { entity: string }>; columns: string[] };
  };
  const entities = (
    (await (await fetch(`${url}/v1/entities`)).json()) as { entities: Record<string, string[]> }
  ).entities;
  const time = new Date(Date.parse(model.dataEnd) + 30 * 86_400_000).toISOString().slice(0, 10);
  const events = project.file.data.events ?? Object.keys(project.file.data.tables)[0]!;
  const columnTypes = project.file.data.tables[events]!.columns as Record<string, string>;
  // Events cycle through neighbouring entity keys, so requests are not all one event.
  const event = (i: number) => ({
    time,
    entities: Object.fromEntries(
      Object.entries(model.event.roles).map(([role, { entity }], r) => {
        const keys = entities[entity]!;
        return [role, keys[(i + r) % keys.length]!];
      }),
    ),
    columns: Object.fromEntries(
      model.event.columns.map((c) => [c, columnTypes[c] === 'boolean' ? false : 0]),
    ),
  });

  let unit = 0;
  interface Target {
    path: string;
    body: (i: number) => unknown;
  }
  const plain: Target = {
    path: '/v1/predictions',
    body: (i: number) => ({ event: event(i), explain: false }),
  };
  const experiment: Target = {
    path: `/experiments/${key}/predictions`,
    body: (i: number) => ({ unit: `bench-${unit++}`, input: { event: event(i) } }),
  };
  const measure = async (target: Target, duration: number) => {
    let i = 0;
    const result = await autocannon({
      url: `${url}${target.path}`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      connections,
      duration,
      requests: [{ setupRequest: (request) => ({ ...request, body: JSON.stringify(target.body(i++)) }) }],
    });
    return {
      requests: result.requests.total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      failed: result.non2xx + result.errors + result.timeouts,
    };
  };
  // Warm-up of both paths, not recorded.
  await measure(plain, 2);
  await measure(experiment, 2);
  const warmUpExposures = (await readExposureLog(paths.exposures)).exposures.length;
  const rows: { round: number; path: string; requests: number; p50: number; p99: number; failed: number }[] =
    [];
  for (let round = 1; round <= rounds; round++) {
    for (const [name, target] of [
      ['without experiment', plain],
      ['with experiment', experiment],
    ] as const) {
      process.stderr.write(`  round ${round}, ${name}: ${seconds} s, ${connections} connections…\n`);
      rows.push({ round, path: name, ...(await measure(target, seconds)) });
    }
  }
  const { exposures } = await readExposureLog(paths.exposures);
  const answered = rows
    .filter((r) => r.path === 'with experiment')
    .reduce((sum, r) => sum + r.requests - r.failed, 0);
  const median = (values: number[]) =>
    [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
  const p99Without = median(rows.filter((r) => r.path === 'without experiment').map((r) => r.p99));
  const p99With = median(rows.filter((r) => r.path === 'with experiment').map((r) => r.p99));

  console.log(
    `\nexperiment overhead — ${slug}, arms ${controlModel} (control) / ${treatmentModel}, served model ${controlModel}`,
  );
  console.log(`machine: ${machineLine()}; 1-minute load average at start ${loadAverageAtStart.toFixed(2)}`);
  console.log('round  path                  requests   p50 ms   p99 ms   failed');
  for (const r of rows) {
    console.log(
      `${String(r.round).padStart(5)}  ${r.path.padEnd(20)} ${String(r.requests).padStart(9)} ${String(r.p50).padStart(8)} ${String(r.p99).padStart(8)} ${String(r.failed).padStart(8)}`,
    );
  }
  console.log(
    `p99 with / without an experiment (lower median of ${rounds} rounds): ${p99With} / ${p99Without} ms = ${(p99With / p99Without).toFixed(2)}× (target ≤ 1.10)`,
  );
  console.log(
    `exposures logged while measured: ${exposures.length - warmUpExposures} for ${answered} answered requests`,
  );
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.on('exit', resolve));
  await rm(temporary, { recursive: true, force: true });
}

function listening(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) =>
      reject(new Error(`mlfolio serve exited with status ${code} before listening.`)),
    );
  });
}
