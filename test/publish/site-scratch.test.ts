import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scratchName } from '../../portfolio/scratch-space.ts';
import { siteScratch } from '../../publish/site-scratch.ts';

let root: string;
let cacheDir: string;
let distDir: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlfolio-site-scratch-'));
  cacheDir = join(root, 'node_modules', '.cache', 'mlfolio-site');
  distDir = join(root, 'portfolio', 'dist');
  await mkdir(cacheDir, { recursive: true });
  await mkdir(distDir, { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Starts a build's scratch folders in a child process and kills it with SIGKILL; returns its pid. */
async function killedBuild(): Promise<number> {
  const child = spawn(
    process.execPath,
    [join(import.meta.dirname, 'site-scratch-child.ts'), cacheDir, distDir],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('building') && resolve());
    child.on('exit', (code) => reject(new Error(`the child exited (${code}) before building:\n${stderr}`)));
  });
  child.kill('SIGKILL');
  await exited;
  return child.pid!;
}

describe('scratch folders of a site build', () => {
  test('those a killed build left are removed when the next build starts; a live build’s and other files are kept', async () => {
    const dead = await killedBuild();
    // The previous naming, as a build killed before this change left them.
    await mkdir(join(cacheDir, `${dead}-1764400000000`));
    await mkdir(join(root, 'portfolio', `dist.tmp-${dead}`));
    await mkdir(join(root, 'portfolio', `dist.old-${dead}`));
    // A build still running in this process, a build on another machine sharing the folder, and the lock.
    const live = scratchName('build-');
    const elsewhere = `build-another-host~${dead}~0123abcd`;
    for (const name of [live, elsewhere, 'build.lock']) await mkdir(join(cacheDir, name));
    expect(
      (await readdir(cacheDir)).filter((name) => name.includes(`~${dead}~`) && !name.includes('another')),
    ).toHaveLength(1);
    expect(await readdir(join(root, 'portfolio'))).toHaveLength(4);

    const next = await siteScratch(cacheDir, distDir);

    expect((await readdir(cacheDir)).sort()).toEqual([live, elsewhere, 'build.lock'].sort());
    expect(await readdir(join(root, 'portfolio'))).toEqual(['dist']);
    expect(next.scratch).toMatch(new RegExp(`mlfolio-site/build-.*~${process.pid}~[0-9a-f]{8}$`));
    expect(next.temporary).toMatch(new RegExp(`portfolio/dist\\.tmp-.*~${process.pid}~`));
    expect(next.previous).toMatch(new RegExp(`portfolio/dist\\.old-.*~${process.pid}~`));
  });
});
