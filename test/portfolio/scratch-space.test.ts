import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isProcessAlive, removeAbandonedScratch, scratchName } from '../../portfolio/scratch-space.ts';
import isolateTmpdir, { testTmpPrefix } from '../isolated-tmpdir.ts';

let base: string;
/** The pid of a process that has exited. */
let dead: number;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'mlfolio-scratch-'));
  dead = spawnSync(process.execPath, ['-e', '']).pid!;
});

afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

describe('scratch folders named for their process', () => {
  test('a process that exited is not alive; this one is', () => {
    expect(isProcessAlive(dead)).toBe(false);
    expect(isProcessAlive(process.pid)).toBe(true);
  });

  test('only the scratch of exited processes on this host, with the prefix, is removed', async () => {
    const parent = join(base, 'sweep');
    const live = scratchName('.partial-');
    const abandoned = `.partial-${hostname()}~${dead}~0badf00d`;
    const names = [
      live,
      abandoned,
      `.partial-other-host~${dead}~0badf00d`,
      `other-${hostname()}~${dead}~0badf00d`,
      'kept',
    ];
    for (const name of names) await mkdir(join(parent, name), { recursive: true });
    expect(await removeAbandonedScratch(parent, '.partial-')).toEqual([abandoned]);
    expect((await readdir(parent)).sort()).toEqual(names.filter((name) => name !== abandoned).sort());
    expect(await removeAbandonedScratch(join(base, 'missing'), '.partial-')).toEqual([]);
  });
});

describe('the temporary folder of a test run', () => {
  test('holds what tests forget, is removed at the end, and a killed run’s folder is removed by the next run', async () => {
    const outer = process.env.TMPDIR;
    const parent = join(base, 'tmp');
    await mkdir(join(parent, `${testTmpPrefix}${hostname()}~${dead}~0badf00d`, 'mlfolio-atomic-x'), {
      recursive: true,
    });
    process.env.TMPDIR = parent;
    try {
      const teardown = await isolateTmpdir();
      const folder = tmpdir();
      expect(folder).toMatch(new RegExp(`^${parent}/${testTmpPrefix}.*~${process.pid}~[0-9a-f]{8}$`));
      expect(await readdir(parent)).toEqual([folder.slice(parent.length + 1)]);
      // A test that forgets to remove its folder.
      await mkdtemp(join(tmpdir(), 'mlfolio-atomic-'));
      await teardown();
      expect(process.env.TMPDIR).toBe(parent);
      expect(await readdir(parent)).toEqual([]);
    } finally {
      process.env.TMPDIR = outer;
    }
  });
});
