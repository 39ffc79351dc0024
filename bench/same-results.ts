/**
 * `node bench/same-results.ts <run folder A> <run folder B>`: checks that two runs of the same
 * project (say, before and after a speed-up) computed the same numbers. Compares the run records
 * without what may differ between identical computations (run id, times, durations, stage keys,
 * which stages were reused, the order stages started in), then every model artifact and the online
 * store byte for byte.
 * Exits 1 naming the first differences.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

const volatile = new Set(['runId', 'createdAt', 'collectedAt', 'timings', 'key', 'durationMs', 'cached']);

/** Paths (a.b[3].c) where `a` and `b` differ, volatile keys skipped. */
function differences(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= 20) return;
  if (Object.is(a, b)) return;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`);
    return;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    out.push(`${path}: an array on one side only`);
    return;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    if (volatile.has(key)) continue;
    differences(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`,
      out,
    );
  }
}

const [first, second] = process.argv.slice(2);
if (!first || !second) {
  console.error('Usage: node bench/same-results.ts <run folder A> <run folder B>');
  process.exit(2);
}
const found: string[] = [];
const json = async (dir: string, file: string) => JSON.parse(await readFile(join(dir, file), 'utf8'));
/**
 * A run record with its stages by name: the order stages start in (the architecture diagram's
 * order) may change with the scheduling without changing a number.
 */
const record = async (dir: string) => {
  const run = await json(dir, 'run.json');
  if (Array.isArray(run.stages))
    run.stages = [...run.stages].sort((a: { name: string }, b: { name: string }) =>
      a.name.localeCompare(b.name),
    );
  return run;
};
differences(await record(first), await record(second), 'run', found);
const models = (await readdir(join(first, 'models'))).sort();
const otherModels = (await readdir(join(second, 'models'))).sort();
if (models.join() !== otherModels.join()) found.push(`models: ${models.join()} ≠ ${otherModels.join()}`);
for (const file of [...models.map((m) => join('models', m)), 'online-store.json']) {
  const [a, b] = await Promise.all([readFile(join(first, file)), readFile(join(second, file))]);
  if (!a.equals(b)) found.push(`${file}: the bytes differ`);
}
if (found.length) {
  console.error(`Different results:\n  ${found.join('\n  ')}`);
  process.exit(1);
}
console.log(`Same results: run record (less ids and times), ${models.length} model(s), online store.`);
