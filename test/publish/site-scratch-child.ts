/**
 * Child process of site-scratch.test.ts: starts a site build's scratch folders as `buildSite` does,
 * writes into them, announces "building" on stdout and waits to be killed with SIGKILL.
 *
 * Arguments: <cache folder> <dist folder>
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { siteScratch } from '../../publish/site-scratch.ts';

const [cacheDir, distDir] = process.argv.slice(2) as [string, string];
const { scratch, temporary } = await siteScratch(cacheDir, distDir);
for (const folder of [scratch, temporary]) {
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'index.html'), '<!doctype html><title>half built</title>');
}
process.stdout.write('building\n');
await new Promise(() => setInterval(() => {}, 60_000));
