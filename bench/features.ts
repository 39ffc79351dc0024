/**
 * `npm run bench:features`: the feature store builds 20 point-in-time features for 1,000,000
 * synthetic events of ~1,000 entities (seeded), then pandas builds the same features by
 * groupby-shift-rolling from the same CSV in a child process. Prints both wall times and peak RSS,
 * their ratio, and checks both agree on a sample of events.
 *
 * Options: `--events N` (default 1,000,000), `--entities N` (default 1,000), `--sample N` (1,000).
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildTrainingSet, type FeatureStoreSpecInput } from '../pipelines/feature-store/index.ts';
import { machineLine } from './machine.ts';

const { values: args } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    entities: { type: 'string', default: '1000' },
    sample: { type: 'string', default: '1000' },
  },
});
const eventCount = Number(args.events);
const entityCount = Number(args.entities);
const sampleSize = Number(args.sample);

let seed = 20261129;
function random(): number {
  // mulberry32: small, fast, seeded.
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

const directory = join('.mlfolio', 'bench', 'features');
await mkdir(directory, { recursive: true });
const csv = join(directory, 'events.csv');
const sampleFile = join(directory, 'sample-ids.txt');
const pandasOut = join(directory, 'pandas-sample.csv');

// Each entity gets events on distinct days (gaps of 1–4 days), so "the previous event" is well
// defined for pandas' shift as well; x is a random walk, y uniform, z a small count.
const perEntity = Math.ceil(eventCount / entityCount);
const lines: string[] = ['id,entity,date,x,y,z'];
const start = Date.UTC(2015, 0, 1) / 86_400_000;
let id = 0;
for (let e = 0; e < entityCount && id < eventCount; e++) {
  let day = start + Math.floor(random() * 30);
  let x = random() * 10;
  for (let k = 0; k < perEntity && id < eventCount; k++) {
    day += 1 + Math.floor(random() * 4);
    x += random() - 0.5;
    const date = new Date(day * 86_400_000).toISOString().slice(0, 10);
    lines.push(`${id},e${e},${date},${x.toFixed(6)},${random().toFixed(6)},${Math.floor(random() * 6)}`);
    id++;
  }
}
await writeFile(csv, `${lines.join('\n')}\n`);
lines.length = 0;
const sample = new Set<number>();
while (sample.size < Math.min(sampleSize, eventCount)) sample.add(Math.floor(random() * eventCount));
await writeFile(sampleFile, `${[...sample].join('\n')}\n`);

const rolling = (
  name: string,
  column: string,
  aggregate: string,
  window: Record<string, number>,
): FeatureStoreSpecInput['views'][number] =>
  ({
    name,
    description: name,
    kind: 'rolling',
    entity: 'entity',
    ttl: '30d',
    column,
    aggregate,
    window,
  }) as never;
const lag = (name: string, column: string, offset: number): FeatureStoreSpecInput['views'][number] => ({
  name,
  description: name,
  kind: 'lag',
  entity: 'entity',
  ttl: '30d',
  column,
  offset,
});
const spec: FeatureStoreSpecInput = {
  table: {
    name: 'events',
    id: 'id',
    time: { column: 'date', kind: 'date' },
    roles: { self: { entity: 'entity', key: 'entity', columns: { x: 'x', y: 'y', z: 'z' } } },
  },
  views: [
    lag('x_lag1', 'x', 1),
    lag('x_lag2', 'x', 2),
    lag('x_lag3', 'x', 3),
    rolling('x_mean5', 'x', 'mean', { events: 5 }),
    rolling('x_mean10', 'x', 'mean', { events: 10 }),
    rolling('x_mean20', 'x', 'mean', { events: 20 }),
    rolling('x_std10', 'x', 'std', { events: 10 }),
    rolling('y_sum5', 'y', 'sum', { events: 5 }),
    rolling('x_min10', 'x', 'min', { events: 10 }),
    rolling('x_max10', 'x', 'max', { events: 10 }),
    rolling('y_mean30d', 'y', 'mean', { days: 30 }),
    rolling('y_mean90d', 'y', 'mean', { days: 90 }),
    rolling('x_count30d', 'x', 'count', { days: 30 }),
    rolling('y_std90d', 'y', 'std', { days: 90 }),
    rolling('z_mean5', 'z', 'mean', { events: 5 }),
    rolling('z_mean30d', 'z', 'mean', { days: 30 }),
    { name: 'gap', description: 'gap', kind: 'since', entity: 'entity', ttl: '400d', cap: 365 },
    lag('z_lag1', 'z', 1),
    {
      name: 'x_trend',
      description: 'trend',
      kind: 'formula',
      ttl: '30d',
      difference: ['x_mean5', 'x_mean20'],
    },
    { name: 'y_ratio', description: 'ratio', kind: 'formula', ttl: '30d', ratio: ['y_mean30d', 'y_mean90d'] },
  ],
};

console.log(`machine: ${machineLine()}`);
console.log(
  `data: ${eventCount.toLocaleString('en')} events, ${entityCount.toLocaleString('en')} entities, 20 features`,
);

const began = performance.now();
const set = await buildTrainingSet(spec, { path: csv }, 'bench/features.ts');
const oursSeconds = (performance.now() - began) / 1000;
const oursPeak = process.resourceUsage().maxRSS * 1024;
console.log(
  `feature store (DuckDB + TypeScript): ${oursSeconds.toFixed(2)} s, peak RSS ${(oursPeak / 2 ** 30).toFixed(2)} GiB`,
);

const pandas = spawnSync('/usr/bin/python3', ['bench/features_pandas.py', csv, sampleFile, pandasOut], {
  encoding: 'utf8',
  maxBuffer: 1 << 24,
});
if (pandas.status !== 0) {
  console.error(pandas.stderr);
  process.exit(1);
}
const pandasResult = JSON.parse(pandas.stdout.trim().split('\n').at(-1)!) as {
  seconds: number;
  peakRssBytes: number;
  pandas: string;
};
console.log(
  `pandas ${pandasResult.pandas} groupby-shift-rolling: ${pandasResult.seconds.toFixed(2)} s, peak RSS ${(pandasResult.peakRssBytes / 2 ** 30).toFixed(2)} GiB`,
);
console.log(`ratio (pandas / feature store): ${(pandasResult.seconds / oursSeconds).toFixed(2)}×`);

// Value check on the sampled events.
const [header, ...rows] = (await readFile(pandasOut, 'utf8')).trim().split('\n');
const names = header!.split(',');
const position = new Map<string, number>();
set.ids.forEach((value, i) => {
  position.set(value, i);
});
let compared = 0;
const mismatches: string[] = [];
for (const line of rows) {
  const cells = line.split(',');
  const i = position.get(cells[0]!)!;
  for (let c = 1; c < names.length; c++) {
    const theirs = cells[c] === '' ? NaN : Number(cells[c]);
    const ours = set.values[names[c]!]![i]!;
    compared++;
    const agree =
      Number.isNaN(theirs) || Number.isNaN(ours)
        ? Number.isNaN(theirs) && Number.isNaN(ours)
        : Math.abs(theirs - ours) <= 1e-9 * Math.max(1, Math.abs(theirs));
    if (!agree) mismatches.push(`id ${cells[0]} ${names[c]}: ours ${ours}, pandas ${theirs}`);
  }
}
console.log(
  `values: ${compared.toLocaleString('en')} compared on ${rows.length} sampled events, ${mismatches.length} differ (tolerance 1e-9 relative)${mismatches.length ? `, e.g. ${mismatches.slice(0, 5).join('; ')}` : ''}`,
);
console.log(
  `targets: ≤ 30 s ${oursSeconds <= 30 ? 'met' : 'MISSED'}, ≤ 2 GiB ${oursPeak <= 2 * 2 ** 30 ? 'met' : 'MISSED'}, faster than pandas ${oursSeconds < pandasResult.seconds ? 'yes' : 'NO'}`,
);
if (mismatches.length) process.exitCode = 1;
