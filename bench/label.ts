/**
 * `npm run bench:label`: the labelling infrastructure at 100,000 items.
 *  1. next-item + submit over HTTP on loopback, the server a separate `mlfolio label` process
 *     whose log already holds 86,000 labels: p50/p95/p99 of the pair, with the default fsync
 *     per label and with --no-fsync;
 *  2. export of 100,000 labels (replay of the log, then JSONL, CSV and Label Studio JSON), next
 *     to pandas reading the same log and writing CSV (/usr/bin/python3).
 *  3. the same pair in-process, to separate the labelling code from HTTP and scheduling.
 * BENCH_ROUNDS (default 2,000) next+submit pairs per durability setting.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { labelsToCsv, labelsToJsonl } from '../labelling/label-export.ts';
import { readLabelLog } from '../labelling/label-log.ts';
import { LabelState } from '../labelling/label-state.ts';
import { LabelStore } from '../labelling/label-store.ts';
import { toLabelStudio } from '../labelling/label-studio.ts';
import { loadTaskFile } from '../labelling/load-task.ts';
import { machineLine } from './machine.ts';

const items = 100_000;
const prefilled = 86_000;
const rounds = Number(process.env.BENCH_ROUNDS ?? 2000);
const classes = ['world-cup', 'continental', 'qualifier', 'friendly', 'other'];
const root = join(import.meta.dirname, '..');
const loadAtStart = loadavg()[0]!;

const dir = await mkdtemp(join(tmpdir(), 'mlfolio-bench-label-'));
const rows = ['match_id,date,home,away,tournament'];
for (let i = 0; i < items; i++) {
  rows.push(
    `m${i},2019-01-${String((i % 28) + 1).padStart(2, '0')},Team ${i % 211},Team ${(i * 7) % 211},Tournament ${i % 37}`,
  );
}
await writeFile(join(dir, 'matches.csv'), `${rows.join('\n')}\n`);
await writeFile(
  join(dir, 'label-task.yaml'),
  stringify({
    name: 'bench',
    items: {
      source: 'table',
      path: 'matches.csv',
      idField: 'match_id',
      contextFields: ['date', 'home', 'away', 'tournament'],
    },
    labels: { kind: 'classes', classes: classes.map((name) => ({ name })) },
    guidelines: { version: 'v1', text: 'Benchmark.' },
    sampling: { strategy: 'random', seed: 1, selfOverlapShare: 0.05 },
  }),
);
let started = performance.now();
const task = await loadTaskFile(dir);
const loadMs = performance.now() - started;
const logPath = join(dir, 'labels', 'bench.labels.jsonl');
{
  const store = await LabelStore.open(task, logPath, { durability: 'write' });
  const batch = task.items
    .slice(0, prefilled)
    .map((item, i) => ({ item: item.id, label: classes[i % 5]!, annotator: 'bench', timeMs: 900 }));
  for (let i = 0; i < batch.length; i += 10_000) store.submitMany(batch.slice(i, i + 10_000), 'prefill');
  store.close();
}

const lines: string[] = [];
const say = (line: string) => {
  lines.push(line);
  console.log(line);
};
say(`Machine: ${machineLine()}; load average at start ${loadAtStart.toFixed(2)}`);
say(
  `Task: ${items.toLocaleString('en')} items loaded from CSV in ${loadMs.toFixed(0)} ms; log prefilled with ${prefilled.toLocaleString('en')} labels.`,
);

for (const fsync of [true, false]) {
  started = performance.now();
  const { child, url } = await startServer(fsync);
  const startMs = performance.now() - started;
  const times: number[] = [];
  const pageTimes: number[] = [];
  type Next = { item: { id: string }; round: string };
  const submit = async (next: Next, i: number) => {
    const response = await fetch(`${url}/api/labels`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ item: next.item.id, label: classes[i % 5], timeMs: 1000, round: next.round }),
    });
    const body = (await response.json()) as { next: Next };
    if (!response.ok) throw new Error(`label refused: ${response.status}`);
    return body.next;
  };
  // Two requests per label: GET the next item, POST its label.
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const next = (await (await fetch(`${url}/api/next`)).json()) as Next;
    await submit(next, i);
    times.push(performance.now() - t0);
  }
  // As the page does it: the POST's answer carries the next item.
  let next = (await (await fetch(`${url}/api/next`)).json()) as Next;
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    next = await submit(next, i);
    pageTimes.push(performance.now() - t0);
  }
  child.kill('SIGTERM');
  await new Promise((resolve) => child.on('exit', resolve));
  const summary = (values: number[]) => {
    values.sort((a, b) => a - b);
    const q = (p: number) => values[Math.min(values.length - 1, Math.floor(p * values.length))]!;
    return `p50 ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, p99 ${q(0.99).toFixed(2)} ms, max ${values.at(-1)!.toFixed(2)} ms`;
  };
  const mode = fsync ? 'fsync per label' : '--no-fsync';
  say(
    `next-item + submit over HTTP, two requests (${mode}), ${rounds} pairs: ${summary(times)} (server start incl. replay: ${startMs.toFixed(0)} ms)`,
  );
  say(
    `submit answered with the next item, as the page does (${mode}), ${rounds} labels: ${summary(pageTimes)}`,
  );
}

// The same pair in-process (no HTTP, no second process): what the labelling code itself costs.
for (const durability of ['fsync', 'write'] as const) {
  const { LabellingSession } = await import('../labelling/labelling-session.ts');
  const store = await LabelStore.open(task, logPath, { durability });
  const session = new LabellingSession(store);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    const next = session.next('bench');
    if (!next) break;
    session.recorded(
      store.submit({
        item: next.item.id,
        label: classes[i % 5],
        annotator: 'bench',
        timeMs: 1000,
        round: next.round,
      }),
    );
    times.push(performance.now() - t0);
  }
  store.close();
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  say(
    `next-item + submit in-process (${durability === 'fsync' ? 'fsync per label' : 'no fsync'}), ${times.length} pairs: p50 ${q(0.5).toFixed(3)} ms, p95 ${q(0.95).toFixed(3)} ms, p99 ${q(0.99).toFixed(3)} ms`,
  );
}

// Fill the log to 100,000 current labels, then time the export from the log on disk.
{
  const store = await LabelStore.open(task, logPath, { durability: 'write' });
  const missing = task.items.filter((item) => !store.state.labelOf('bench', item.id));
  store.submitMany(
    missing.map((item, i) => ({ item: item.id, label: classes[i % 5]!, annotator: 'bench', timeMs: 900 })),
    'fill',
  );
  store.close();
}
started = performance.now();
const labels = LabelState.replay(readLabelLog(logPath).records).current();
const replayMs = performance.now() - started;
started = performance.now();
const jsonl = labelsToJsonl(labels);
const jsonlMs = performance.now() - started;
started = performance.now();
const csv = labelsToCsv(labels);
const csvMs = performance.now() - started;
started = performance.now();
const studio = JSON.stringify(toLabelStudio(task, labels));
const studioMs = performance.now() - started;
const total = replayMs + jsonlMs + csvMs + studioMs;
say(
  `export of ${labels.length.toLocaleString('en')} labels: replay ${replayMs.toFixed(0)} ms, JSONL ${jsonlMs.toFixed(0)} ms (${mb(jsonl)}), CSV ${csvMs.toFixed(0)} ms (${mb(csv)}), Label Studio JSON ${studioMs.toFixed(0)} ms (${mb(studio)}); all four ${total.toFixed(0)} ms`,
);
const pandas = execFileSync('/usr/bin/python3', [
  '-c',
  `import time, pandas as pd
t = time.perf_counter()
frame = pd.read_json(${JSON.stringify(logPath)}, lines=True)
frame = frame[frame['type'] == 'label'].drop_duplicates(['item', 'annotator'], keep='last')
csv = frame.to_csv(index=False)
print(len(frame), (time.perf_counter() - t) * 1000)`,
])
  .toString()
  .trim()
  .split(' ');
const pandasMs = Number(pandas[1]);
say(
  `pandas (read the log, keep the last label per item and annotator, write CSV): ${Number(pandas[0]).toLocaleString('en')} labels in ${pandasMs.toFixed(0)} ms; mlfolio replay + CSV ${(replayMs + csvMs).toFixed(0)} ms, ratio ${((replayMs + csvMs) / pandasMs).toFixed(2)}× pandas' time`,
);

function mb(text: string): string {
  return `${(Buffer.byteLength(text) / 1024 ** 2).toFixed(1)} MiB`;
}

function startServer(fsync: boolean): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      join(root, 'cli', 'bin.ts'),
      'label',
      dir,
      '--port',
      '0',
      '--annotator',
      'bench',
      ...(fsync ? [] : ['--no-fsync']),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /at (http:\/\/\S+) —/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('exit', (code) => reject(new Error(`mlfolio label exited with ${code}`)));
  });
}
