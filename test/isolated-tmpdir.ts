import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { removeAbandonedScratch, scratchName } from '../portfolio/scratch-space.ts';

/** Prefix of the folder each test run keeps its temporary files in. */
export const testTmpPrefix = 'mlfolio-test-';

/**
 * Vitest global setup: points TMPDIR (so `os.tmpdir()` in the tests, their workers and the child
 * processes they start) at a folder of this run, removed when the run ends, so a test that forgets
 * its temporary folder, or a test run that is killed, leaves nothing behind for long: the folders
 * of test runs that no longer run are removed when the next one starts. Returns the teardown.
 */
export default async function isolateTmpdir(): Promise<() => Promise<void>> {
  const parent = tmpdir();
  // Both test projects run this setup: the second reuses the first's folder instead of nesting in
  // it, which would push Chromium's socket path past the 107 bytes a Unix socket path may hold.
  if (basename(parent).startsWith(testTmpPrefix)) return async () => {};
  await removeAbandonedScratch(parent, testTmpPrefix);
  const folder = join(parent, scratchName(testTmpPrefix));
  await mkdir(folder);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = folder;
  return async () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    await rm(folder, { recursive: true, force: true });
  };
}
