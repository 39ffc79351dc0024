/**
 * `npm run bench:serve`: load-tests `mlfolio serve` from a second process on loopback with
 * autocannon — throughput and latency percentiles for single and batched predictions, with and
 * without contributions, and the server's resident memory under sustained load. Bounded: each
 * scenario runs BENCH_SECONDS (default 10) and at most BENCH_MAX_REQUESTS requests (default
 * 200,000). Serves the deployed model of the example project in the current workspace (running
 * its pipeline first if it has no run) and writes content/projects/<slug>/serving-benchmark.json.
 * BENCH_MODEL=<id> serves that model of the latest run instead (e.g. `mlp`, the costliest to explain).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { listRunIds } from '../pipelines/runs/run-record.ts';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { loadAnyProject } from '../portfolio/project-file/any-project.ts';
import { projectPaths, workspaceAt } from '../portfolio/workspace.ts';
import { type ServingBenchmark, servingBenchmarkFile } from '../serving/benchmark-record.ts';
import { machineLine } from './machine.ts';

const slug = process.env.BENCH_PROJECT ?? 'football-match-outcomes';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const maxRequests = Number(process.env.BENCH_MAX_REQUESTS ?? 200_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 8);
const batchSize = 64;
const root = join(import.meta.dirname, '..');

// Other processes competing for the cores skew every figure: the load at the start is recorded.
const loadAverageAtStart = loadavg()[0]!;
const workspace = workspaceAt();
const project = await loadAnyProject(workspace, slug);
if ((await listRunIds(projectPaths(workspace, slug).runsDir)).length === 0) {
  process.stderr.write(`No run of ${slug} yet: running its pipeline first.\n`);
  const { runAnyProject } = await import('../pipelines/run-any-project.ts');
  await runAnyProject(workspace, project, {});
}

const modelOverride = process.env.BENCH_MODEL ? ['--model', process.env.BENCH_MODEL] : [];
const server = spawn(
  process.execPath,
  [join(root, 'cli', 'bin.ts'), 'serve', slug, '--port', '0', '--quiet', ...modelOverride],
  {
    env: { ...process.env, MLFOLIO_ROOT: workspace.root },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await listening(server);
const health = (await (await fetch(`${url}/health`)).json()) as {
  model: ServingBenchmark['model'] & { runId: string };
};
const { dataEnd, maxExplainedPerRequest, event, testPeriod } = (await (
  await fetch(`${url}/v1/model`)
).json()) as {
  dataEnd: string;
  maxExplainedPerRequest: number;
  event: {
    time: 'date' | 'season';
    season: boolean;
    roles: Record<string, { entity: string }>;
    columns: string[];
  };
  testPeriod: { seasons: string[] };
};
if (event.time !== 'date' || event.columns.length > 0) {
  throw new Error(
    `bench/serve.ts sends events by their date and entity keys only; ${slug} has ${event.time} events${event.columns.length ? ` with columns ${event.columns.join(', ')}` : ''}.`,
  );
}
const { entities } = (await (await fetch(`${url}/v1/entities`)).json()) as {
  entities: Record<string, string[]>;
};
// Explained batches stay within the server's per-request explanation budget.
const explainedBatch = Math.min(batchSize, maxExplainedPerRequest);
const time = new Date(Date.parse(dataEnd) + 90 * 86_400_000).toISOString().slice(0, 10);
const roles = Object.entries(event.roles);
// Events cycle through neighbouring keys of each role's entity so requests are not all identical.
// A date-timed table with seasons: the event belongs to the latest season the data knows, as in the demo.
const season = event.season ? { season: testPeriod.seasons.at(-1)! } : {};
const fixture = (i: number) => ({
  time,
  ...season,
  entities: Object.fromEntries(
    roles.map(([role, { entity }], r) => {
      const keys = entities[entity]!;
      return [role, keys[(i + r) % keys.length]!];
    }),
  ),
});

const memory: number[] = [];
const sampler = setInterval(() => {
  void residentMiB(server.pid!).then((mib) => mib !== undefined && memory.push(mib));
}, 250);
await new Promise((resolve) => setTimeout(resolve, 600));
const idle = Math.min(...memory);

// Warm-up, not recorded: lets the JIT compile the hot path before anything is measured.
await autocannon({
  url: `${url}/v1/predictions`,
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ event: fixture(0) }),
  connections,
  duration: 2,
  maxOverallRequests: maxRequests,
});

const scenarios: ServingBenchmark['scenarios'] = [];
const plans = [
  { id: 'single-explain', label: 'one prediction with contributions', batch: 1, explain: true },
  { id: 'single', label: 'one prediction, probabilities only', batch: 1, explain: false },
  {
    id: 'batch-explain',
    label: `batch of ${explainedBatch} with contributions`,
    batch: explainedBatch,
    explain: true,
  },
  { id: 'batch', label: `batch of ${batchSize}, probabilities only`, batch: batchSize, explain: false },
];
for (const plan of plans) {
  const body = JSON.stringify(
    plan.batch === 1
      ? { event: fixture(scenarios.length), explain: plan.explain }
      : {
          items: Array.from({ length: plan.batch }, (_, i) => ({ event: fixture(i) })),
          explain: plan.explain,
        },
  );
  process.stderr.write(`  ${plan.label}: ${seconds} s, ${connections} connections…\n`);
  const result = await autocannon({
    url: `${url}${plan.batch === 1 ? '/v1/predictions' : '/v1/predictions/batch'}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections,
    duration: seconds,
    maxOverallRequests: maxRequests,
    timeout: 10,
  });
  scenarios.push({
    id: plan.id,
    label: plan.label,
    predictionsPerRequest: plan.batch,
    explain: plan.explain,
    connections,
    durationSeconds: round(result.duration, 1),
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.average, 0),
    predictionsPerSecond: round(result.requests.average * plan.batch, 0),
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
    },
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    memoryMiBAtEnd: round((await residentMiB(server.pid!)) ?? Number.NaN, 1),
  });
}
const peak = Math.max(...memory);
clearInterval(sampler);
const afterLoad = (await residentMiB(server.pid!)) ?? Number.NaN;
server.kill('SIGTERM');
await new Promise((resolve) => server.on('exit', resolve));

const record: ServingBenchmark = {
  schemaVersion: 1,
  project: slug,
  measuredAt: new Date().toISOString(),
  command: 'npm run bench:serve',
  machine: machineLine(),
  loadAverage: round(loadAverageAtStart, 2),
  model: {
    runId: health.model.runId,
    modelId: health.model.modelId,
    kind: health.model.kind,
    label: health.model.label,
  },
  setup: `autocannon in the benchmark process, ${connections} keep-alive connections, against mlfolio serve in a child process on 127.0.0.1 (sharing the machine's cores); ${seconds} s per scenario after a 2 s warm-up; events by their entity keys and a date after the data.`,
  scenarios,
  memoryMiB: { idle: round(idle, 1), peak: round(peak, 1), afterLoad: round(afterLoad, 1) },
};
const file = servingBenchmarkFile(workspace, slug);
await writeJsonAtomic(file, record);

console.log(`machine: ${record.machine}; 1-minute load average at start ${record.loadAverage}`);
console.log(`model: ${record.model.modelId} (${record.model.label}) of run ${record.model.runId}`);
console.log(
  'scenario                                  req/s   pred/s   p50 ms   p99 ms   non-2xx  errors  RSS MiB',
);
for (const s of scenarios) {
  console.log(
    `${s.label.padEnd(40)} ${String(s.requestsPerSecond).padStart(7)} ${String(s.predictionsPerSecond).padStart(8)} ${String(s.latencyMs.p50).padStart(8)} ${String(s.latencyMs.p99).padStart(8)} ${String(s.non2xx).padStart(9)} ${String(s.errors).padStart(7)} ${String(s.memoryMiBAtEnd).padStart(8)}`,
  );
}
console.log(
  `server memory (RSS): idle ${record.memoryMiB.idle} MiB, peak ${record.memoryMiB.peak} MiB, after load ${record.memoryMiB.afterLoad} MiB`,
);
console.log(`written to ${file}`);

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

/** Resident set size of a process in MiB, from /proc (Linux); undefined elsewhere. */
async function residentMiB(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}
