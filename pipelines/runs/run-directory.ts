import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { removeAbandonedScratch, scratchName } from '../../portfolio/scratch-space.ts';

/** Prefix of the hidden folders a run is built in; readers skip names starting with a dot. */
const scratchPrefix = '.partial-';

/**
 * Writes the run directory `<runsDir>/<runId>` so that it appears whole or not at all: `fill`
 * writes every file (run.json last) into a hidden scratch sibling, which is renamed into place
 * only once `fill` has resolved. A process killed before then leaves only its scratch folder,
 * which readers never list and the next call removes once its owner has exited. An existing
 * folder of the same id is replaced. Returns the run directory.
 */
export async function writeRunDirectory(
  runsDir: string,
  runId: string,
  fill: (directory: string) => Promise<void>,
): Promise<string> {
  await removeAbandonedScratch(runsDir, scratchPrefix);
  const scratch = join(runsDir, scratchName(scratchPrefix));
  const target = join(runsDir, runId);
  await mkdir(scratch, { recursive: true });
  try {
    await fill(scratch);
    try {
      await rename(scratch, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
      // A rerun within the same second on the same inputs has the same id: the old folder is
      // moved aside first, so the id never names a half-replaced run.
      const displaced = join(runsDir, scratchName(scratchPrefix));
      await rename(target, displaced);
      await rename(scratch, target);
      await rm(displaced, { recursive: true, force: true });
    }
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    throw error;
  }
  return target;
}
