import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { type ChromiumLookup, chromiumArgs, missingChromiumMessage } from '../../publish/chromium.ts';

/**
 * What the browser suites do on this machine: run with the browser found; skip, saying how to
 * install one; or, under CI, fail, because CI must never pass without them.
 */
export type BrowserSuitePlan =
  | { run: true; path: string }
  | { run: false; fail: false; message: string }
  | { run: false; fail: true; message: string };

/** Whether `env` says this is a CI run (`CI` set to anything but empty, `0` or `false`). */
export function isCi(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== '0' && value !== 'false';
}

/** The plan for the browser suites, from the environment and what {@link findChromium} found. */
export function browserSuitePlan(
  env: Readonly<Record<string, string | undefined>>,
  lookup: ChromiumLookup,
): BrowserSuitePlan {
  if (lookup.found) return { run: true, path: lookup.path };
  const why = missingChromiumMessage(lookup);
  return isCi(env)
    ? {
        run: false,
        fail: true,
        message: `The browser tests cannot run, and CI=${env.CI} does not allow skipping them. ${why}`,
      }
    : { run: false, fail: false, message: `Skipping the browser tests. ${why}` };
}

/**
 * Launches the browser. Chromium puts its singleton socket in TMPDIR and aborts ("Socket path too
 * long") when that path passes the 107 bytes a Unix socket path may hold, so a deep TMPDIR (a test
 * run's own folder on a host with a long name) is replaced by the system's for the browser alone.
 */
export function launchBrowser(executablePath: string): Promise<Browser> {
  const socket = join(tmpdir(), 'org.chromium.Chromium.XXXXXX', 'SingletonSocket');
  const env = socket.length > 100 ? { ...process.env, TMPDIR: '/tmp' } : undefined;
  return chromium.launch({ executablePath, args: chromiumArgs, ...(env ? { env } : {}) });
}
