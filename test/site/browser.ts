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

export function launchBrowser(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, args: chromiumArgs });
}
