import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A stable hash of any JSON-serialisable value: object keys are sorted first. */
export function hashValue(value: unknown): string {
  return sha256(stableStringify(value));
}

/**
 * JSON with every object's keys sorted (by `localeCompare`; integer-like keys first, as in any
 * object). The hashes of stored runs depend on these exact bytes: test/portfolio/hash.test.ts holds
 * them to the definition, `JSON.stringify` with a replacer that sorts each object's entries.
 */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortedCopy(value, ''));
}

// The definition calls a replacer for every value and sorts every object's keys; a copy whose
// objects are rebuilt in sorted order (sorted once per set of keys: a table's rows share one) and
// then serialised natively gives the same bytes in less time (bench/start-pieces.ts).
const keyOrders = new Map<string, string[]>();
const maxKeyOrders = 10_000;

/** `value` as the definition's replacer would see and return it, its children copied alike. */
function sortedCopy(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  // JSON.stringify calls toJSON (a Date's) before the replacer, which then sees the result.
  const resolved =
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
      ? (value as { toJSON(key: string): unknown }).toJSON(key)
      : value;
  if (resolved === null || typeof resolved !== 'object') return resolved;
  if (Array.isArray(resolved)) {
    const out = new Array<unknown>(resolved.length);
    for (let i = 0; i < resolved.length; i++) out[i] = sortedCopy(resolved[i], String(i));
    return out;
  }
  const object = resolved as Record<string, unknown>;
  const order = keyOrder(Object.keys(object));
  if (!order) {
    // A "__proto__" key: only Object.fromEntries makes it an own property, as the definition does.
    return Object.fromEntries(
      Object.entries(object)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortedCopy(v, k)]),
    );
  }
  const out: Record<string, unknown> = {};
  for (const k of order) out[k] = sortedCopy(object[k], k);
  // JSON.stringify would call a function-valued "toJSON" key of the copy; the definition drops it.
  return typeof out.toJSON === 'function' ? { ...out, toJSON: undefined } : out;
}

/** The keys in sorted order, from a cache keyed by the keys as found; undefined for "__proto__". */
function keyOrder(keys: string[]): string[] | undefined {
  let signature = '';
  for (const k of keys) {
    if (k === '__proto__') return undefined;
    // A NUL inside a key would let two different key lists share a signature: sort those uncached.
    if (k.includes('\0')) return [...keys].sort((a, b) => a.localeCompare(b));
    signature += `${k}\0`;
  }
  let order = keyOrders.get(signature);
  if (!order) {
    order = [...keys].sort((a, b) => a.localeCompare(b));
    if (keyOrders.size >= maxKeyOrders) keyOrders.clear();
    keyOrders.set(signature, order);
  }
  return order;
}

export async function hashFile(path: string): Promise<string> {
  return sha256(await readFile(path));
}

/**
 * Hashes the contents and relative names of every file under `paths` (files or directories),
 * skipping names matched by `ignore`. Used as the "code version" of a pipeline stage and as the
 * fingerprint of the site's inputs.
 */
export async function hashTree(root: string, paths: readonly string[], ignore?: RegExp): Promise<string> {
  const hash = createHash('sha256');
  const files: string[] = [];
  for (const path of paths) files.push(...(await listFiles(join(root, path), ignore)));
  files.sort();
  for (const file of files) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(await readFile(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

async function listFiles(path: string, ignore: RegExp | undefined): Promise<string[]> {
  if (ignore?.test(path)) return [];
  let entries: import('node:fs').Dirent[];
  try {
    entries = await readdir(path, { withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return [path];
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? listFiles(join(path, entry.name), ignore) : [join(path, entry.name)],
    ),
  );
  return nested.flat().filter((file) => !ignore?.test(file));
}
