import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathExists } from '../../portfolio/files.ts';
import type { ServingSurfaces } from './project-evidence.ts';

const codeRoot = join(import.meta.dirname, '..', '..');

/**
 * The ways this installation of mlfolio can serve a trained model: the `serve` command and an
 * in-browser demo component or page in the site. Looked up in the tool's own files, so the audit
 * reports what a reader of the built site can actually use.
 */
export async function detectServingSurfaces(root = codeRoot): Promise<ServingSurfaces> {
  const surfaces: ServingSurfaces = {};
  if (await pathExists(join(root, 'cli', 'commands', 'serve.ts'))) surfaces.endpoint = 'mlfolio serve';
  const demo = (await listFiles(join(root, 'src'))).find((file) => /demo[^/\\]*\.(astro|ts)$/i.test(file));
  if (demo) surfaces.demo = demo.slice(root.length + 1);
  return surfaces;
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
}
