/**
 * Child process of run-directory.test.ts: copies a finished run's files into a new run directory
 * through `writeRunDirectory`, announces "filling" on stdout after the first file, and then waits
 * for the test to kill it with SIGKILL before the run is complete.
 *
 * Arguments: <runs folder> <new run id> <finished run folder to copy from>
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { writeRunDirectory } from '../../pipelines/runs/run-directory.ts';
import { writeFileAtomic } from '../../portfolio/atomic-write.ts';

const [runsDir, runId, source] = process.argv.slice(2) as [string, string, string];
const files = (await readdir(source, { recursive: true, withFileTypes: true }))
  .filter((entry) => entry.isFile())
  .map((entry) => relative(source, join(entry.parentPath, entry.name)))
  // run.json last, as the pipeline writes it
  .sort((a, b) => Number(a === 'run.json') - Number(b === 'run.json'));
await writeRunDirectory(runsDir, runId, async (directory) => {
  for (const [i, file] of files.entries()) {
    await writeFileAtomic(join(directory, file), await readFile(join(source, file)));
    if (i === 0) {
      process.stdout.write('filling\n');
      await new Promise(() => setInterval(() => {}, 60_000));
    }
  }
});
