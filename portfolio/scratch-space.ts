import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Scratch folders named after the process that owns them (`<prefix><host>~<pid>~<8 hex>`), so
 * that what a killed process left behind can be told from what a live one is still writing, and
 * removed by the next process that looks.
 */
export function scratchName(prefix: string): string {
  return `${prefix}${hostname()}~${process.pid}~${randomBytes(4).toString('hex')}`;
}

/**
 * Removes the entries of `parent` named by {@link scratchName} with `prefix` whose owner has exited
 * (on this host: a pid of another machine sharing the folder cannot be checked, so its scratch is
 * kept). `legacy` matches names of an older scheme without a host, its first group the pid. A
 * missing `parent` holds nothing. Returns the names removed.
 */
export async function removeAbandonedScratch(
  parent: string,
  prefix: string,
  legacy?: RegExp,
): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(parent);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const host = hostname();
  const removed: string[] = [];
  for (const name of names) {
    const owner = ownerOf(name, prefix, host, legacy);
    if (owner === undefined || isProcessAlive(owner)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The pid that owns a scratch entry of this host, or undefined when the name is not one. */
function ownerOf(name: string, prefix: string, host: string, legacy: RegExp | undefined): number | undefined {
  const legacyPid = legacy?.exec(name)?.[1];
  if (legacyPid !== undefined) return Number(legacyPid);
  if (!name.startsWith(prefix)) return undefined;
  const match = /^(.*)~(\d+)~[0-9a-f]{8}$/.exec(name.slice(prefix.length));
  return match && match[1] === host ? Number(match[2]) : undefined;
}

/** Whether a process with this id runs on this machine (one we may not signal still runs). */
export function isProcessAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
