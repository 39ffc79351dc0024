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

export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
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
