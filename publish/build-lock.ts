import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { MlfolioError } from '../portfolio/errors.ts';
import { isProcessAlive } from '../portfolio/scratch-space.ts';

const pollMs = 200;

/**
 * Runs `build` while holding a lock shared by every process building from the same site code.
 * Astro writes generated content modules to `<root>/.astro/`, so two concurrent builds of
 * different workspaces would read each other's content. A lock whose holder has exited is taken over.
 */
export async function withBuildLock<T>(
  lockDir: string,
  build: () => Promise<T>,
  timeoutMs = 600_000,
): Promise<T> {
  const started = Date.now();
  await mkdir(dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      await mkdir(lockDir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (!(await holderAlive(lockDir))) {
      await rm(lockDir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - started > timeoutMs) {
      throw new MlfolioError({
        code: 'E_SITE_BUILD_LOCKED',
        message: `Another site build has held ${lockDir} for more than ${Math.round(timeoutMs / 1000)} s.`,
        hint: 'Wait for it to finish, or delete that folder if no build is running.',
        retryable: true,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  try {
    await writeFile(join(lockDir, 'pid'), String(process.pid));
    return await build();
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}

async function holderAlive(lockDir: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number(await readFile(join(lockDir, 'pid'), 'utf8'));
  } catch {
    // Just created, pid not written yet: treat as alive; a crashed holder is caught on a later poll.
    return true;
  }
  return isProcessAlive(pid);
}
