/**
 * `npm run bench:start-pieces [portfolio root]`: CPU seconds of the pieces of a first `npm start`
 * that are neither the feature store nor model fits, each beside what it replaced, in the same
 * run: the social preview (fonts from the DejaVu files vs the system's, per card), the data profile
 * (danfojs loaded without its Node entry's file readers; present values as their own Series vs
 * dropNa), the hash of a collected table (stableStringify vs the replacer it is defined by) and a
 * stage cache entry (unindented vs indented JSON). Each pair is checked to give the same bytes.
 * Cards are drawn from the latest runs under the root (default MLFOLIO_ROOT, else this folder).
 * `BENCH_ROUNDS` (default 3) rounds; the lowest CPU time of each is reported.
 */
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { collectTable } from '../pipelines/collect/collect-table.ts';
import type { Row } from '../pipelines/collect/typed-rows.ts';
import { profileTable } from '../pipelines/profile/profile-table.ts';
import type { RunRecord } from '../pipelines/runs/run-record.ts';
import { stableStringify } from '../portfolio/hash.ts';
import type { ColumnType } from '../portfolio/project-file/data-spec.ts';
import { loadProjectFile } from '../portfolio/project-file/load.ts';
import { workspaceAt } from '../portfolio/workspace.ts';
import { runFacts } from '../src/site-data/run-facts.ts';
import { type SocialCard, socialImagePng } from '../src/site-data/social-image.ts';
import { stableStringifyDefinition as definition } from '../test/helpers/stable-stringify-definition.ts';
import { machineLine } from './machine.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const workspace = workspaceAt(process.argv[2] ?? process.env.MLFOLIO_ROOT ?? join(import.meta.dirname, '..'));
const cpuMs = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** Lowest CPU milliseconds of `rounds` calls, and the last result. */
function measure<T>(run: () => T): { ms: number; result: T } {
  let ms = Number.POSITIVE_INFINITY;
  let result: T | undefined;
  for (let round = 0; round < rounds; round++) {
    const started = cpuMs();
    result = run();
    ms = Math.min(ms, cpuMs() - started);
  }
  return { ms, result: result as T };
}

async function measureAsync<T>(run: () => Promise<T>): Promise<{ ms: number; result: T }> {
  let ms = Number.POSITIVE_INFINITY;
  let result: T | undefined;
  for (let round = 0; round < rounds; round++) {
    const started = cpuMs();
    result = await run();
    ms = Math.min(ms, cpuMs() - started);
  }
  return { ms, result: result as T };
}

function report(name: string, before: number, after: number, same: boolean) {
  if (!same) throw new Error(`Expected the same bytes from both ways of ${name}, but they differ.`);
  console.log(
    `${name.padEnd(44)} before ${before.toFixed(0).padStart(6)} ms  after ${after.toFixed(0).padStart(6)} ms  (${(before / after).toFixed(1)}x, same output)`,
  );
}

console.log(`${machineLine()}; CPU time (user + system), lowest of ${rounds} round(s)`);

// Social previews: the example projects' latest runs, or cards without a run.
const cards: SocialCard[] = [];
for (const slug of await readdir(workspace.projectsDir).catch(() => [] as string[])) {
  const runsDir = join(workspace.projectsDir, slug, 'runs');
  const latest = (await readdir(runsDir).catch(() => [] as string[])).sort().at(-1);
  const run = latest
    ? (JSON.parse(await readFile(join(runsDir, latest, 'run.json'), 'utf8')) as RunRecord)
    : undefined;
  cards.push({
    builder: 'Alex Rivera',
    title: slug.replace(/-/g, ' '),
    facts: run ? runFacts(run, 'bench') : undefined,
  });
}
for (const card of cards) {
  const before = measure(() => Buffer.from(socialImagePng(card, { systemFonts: true })));
  const after = measure(() => Buffer.from(socialImagePng(card)));
  report(
    `social preview: ${card.title}${card.facts ? '' : ' (not run)'}`,
    before.ms,
    after.ms,
    before.result.equals(after.result),
  );
}

// Loading danfojs, each in a fresh process without a compile cache.
const loadMs = (specifier: string) =>
  Number(
    execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const u = process.cpuUsage(); await import(${JSON.stringify(specifier)}); const d = process.cpuUsage(u); console.log((d.user + d.system) / 1000);`,
      ],
      { cwd: join(import.meta.dirname, '..'), env: { ...process.env, NODE_DISABLE_COMPILE_CACHE: '1' } },
    ).toString(),
  );
const loads = (specifier: string) => Math.min(...Array.from({ length: rounds }, () => loadMs(specifier)));
report('load danfojs-node', loads('danfojs-node'), loads('danfojs-node/dist/danfojs-base/index.js'), true);

// The largest example table, collected as a run collects it.
const slug = 'international-match-outcomes';
const project = await loadProjectFile(workspace, slug);
const [name, spec] = Object.entries(project.file.data.tables)[0]!;
const table = await collectTable(name, spec, {
  workspace,
  slug,
  specFile: project.specFile,
  now: () => new Date(0),
});
console.log(`(${slug}: ${table.rows.length.toLocaleString('en-GB')} rows)`);

const profileBefore = await measureAsync(() => dropNaProfile(table.rows, table.columns));
const profileAfter = await measureAsync(() => profileTable(table.name, table.rows, table.columns));
report(
  'data profile (after loading)',
  profileBefore.ms,
  profileAfter.ms,
  JSON.stringify(profileBefore.result) === JSON.stringify(profileAfter.result.columns),
);

const hashBefore = measure(() => definition(table.rows));
const hashAfter = measure(() => stableStringify(table.rows));
report(
  'stable JSON of the rows (hashed)',
  hashBefore.ms,
  hashAfter.ms,
  hashBefore.result === hashAfter.result,
);

const entry = { key: 'bench', output: table };
const indented = measure(() => JSON.stringify(entry, null, 2));
const compact = measure(() => JSON.stringify(entry));
report(
  'stage cache entry of the table',
  indented.ms,
  compact.ms,
  stableStringify(JSON.parse(indented.result)) === stableStringify(JSON.parse(compact.result)),
);
console.log(
  `(stage cache entry: ${(indented.result.length / 1e6).toFixed(1)} MB indented, ${(compact.result.length / 1e6).toFixed(1)} MB unindented)`,
);

/**
 * The profile's columns as profileTable computed them before: danfojs' Node entry, a DataFrame
 * from an object of columns, `column(name).dropNa()` and `sortValues()`.
 */
async function dropNaProfile(rows: readonly Row[], columns: Record<string, ColumnType>) {
  const { DataFrame, Series } = await import('danfojs-node');
  const numericTypes = new Set<ColumnType>(['integer', 'number', 'boolean']);
  const names = Object.keys(columns);
  const cell = (value: unknown, numeric: boolean) => {
    if (value === null || value === undefined || value === '') return null;
    if (!numeric) return String(value);
    if (typeof value === 'boolean') return value ? 1 : 0;
    const number = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(number) ? number : null;
  };
  const data: Record<string, (number | string | null)[]> = {};
  for (const name of names) data[name] = rows.map((row) => cell(row[name], numericTypes.has(columns[name]!)));
  const frame = new DataFrame(data, { columns: names });
  const round = (value: number) => Number(value.toPrecision(6));
  return names.map((name) => {
    const type = columns[name]!;
    const present = frame.column(name).dropNa();
    const missing = rows.length - present.size;
    const distinct = present.size ? present.nUnique() : 0;
    if (numericTypes.has(type)) {
      if (!present.size) return { name, type, missing, distinct };
      const sorted = present.sortValues().values as number[];
      const at = (q: number) => {
        const position = (sorted.length - 1) * q;
        const lower = Math.floor(position);
        const upper = Math.ceil(position);
        return round(sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower));
      };
      const summary = {
        min: sorted[0]!,
        p25: at(0.25),
        median: at(0.5),
        p75: at(0.75),
        max: sorted.at(-1)!,
        mean: round(present.mean()),
        std: present.size > 1 ? round(present.std()) : 0,
      };
      return { name, type, missing, distinct, summary };
    }
    const counts = present.size
      ? new Series((present.values as string[]).map((value) => `=${value}`)).valueCounts()
      : undefined;
    const top = counts
      ? (counts.index as string[])
          .map((value, i) => ({ value: value.slice(1), count: Number(counts.values[i]) }))
          .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
          .slice(0, 5)
      : [];
    return { name, type, missing, distinct, top };
  });
}
