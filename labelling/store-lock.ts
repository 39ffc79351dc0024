import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { ExitCode, MlfolioError } from '../portfolio/errors.ts';

/** What a lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
}

/**
 * Takes the lock `path` (created exclusively) for this process. A lock held by a live process on
 * this host is refused with `E_LABEL_STORE_LOCKED` naming the holder's pid; a lock left by a dead
 * process (or an unreadable one) is taken over. Returns a function that releases it.
 */
export function acquireStoreLock(
  path: string,
  store: string,
  now: () => Date = () => new Date(),
): () => void {
  const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: now().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(path);
      if (holder && holder.host === me.host && isAlive(holder.pid)) {
        throw new MlfolioError({
          code: 'E_LABEL_STORE_LOCKED',
          message: `The label store ${store} is in use by another labelling server (pid ${holder.pid}, started ${holder.startedAt}).`,
          hint: `Use the page of that server, or stop it (kill ${holder.pid}) and start again. Two servers writing one log would interleave labels.`,
          exitCode: ExitCode.unavailable,
          retryable: true,
        });
      }
      if (holder && holder.host !== me.host) {
        throw new MlfolioError({
          code: 'E_LABEL_STORE_LOCKED',
          message: `The label store ${store} is locked by pid ${holder.pid} on another host (${holder.host}).`,
          hint: `Stop that server; if it is gone, delete ${path}.`,
          exitCode: ExitCode.unavailable,
        });
      }
      // The holder died without releasing the lock (kill -9, crash): take it over.
      rmSync(path, { force: true });
      continue;
    }
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    return () => {
      if (readHolder(path)?.pid === me.pid) rmSync(path, { force: true });
    };
  }
  throw new MlfolioError({
    code: 'E_LABEL_STORE_LOCK_RACE',
    message: `Could not take the lock ${path}: other processes keep taking it.`,
    hint: 'Start one labelling server per store.',
    exitCode: ExitCode.unavailable,
    retryable: true,
  });
}

function readHolder(path: string): LockHolder | undefined {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return typeof value.pid === 'number' && typeof value.host === 'string'
      ? { pid: value.pid, host: value.host, startedAt: String(value.startedAt) }
      : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
