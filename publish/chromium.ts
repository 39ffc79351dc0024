import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The command that installs the browser on Debian and Ubuntu; no browser is ever downloaded. */
export const chromiumInstallCommand = 'sudo apt-get install chromium';

/** Debian's Chromium, looked for first after `MLFOLIO_CHROMIUM`. */
export const debianChromium = '/usr/bin/chromium';

/** Names a Chrome or Chromium goes by on PATH, in the order they are tried. */
export const chromiumCommands = [
  'chromium',
  'chromium-browser',
  'google-chrome',
  'google-chrome-stable',
  'chrome',
] as const;

export type ChromiumLookup =
  | { found: true; path: string; via: 'MLFOLIO_CHROMIUM' | 'debian' | 'PATH' }
  | {
      found: false;
      /** Every path looked at, in order. */
      tried: string[];
      /** `MLFOLIO_CHROMIUM` when it was set: then nothing else is tried. */
      configured: string | undefined;
    };

export interface ChromiumLookupOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Whether an executable file is at `path`; injected by tests. */
  isExecutable?: (path: string) => boolean;
}

/**
 * Finds a Chromium-family browser: `MLFOLIO_CHROMIUM` if it is set (and then only it, so a wrong
 * setting is reported rather than quietly replaced), else Debian's `/usr/bin/chromium`, else the
 * first of {@link chromiumCommands} on PATH.
 */
export function findChromium(options: ChromiumLookupOptions = {}): ChromiumLookup {
  const env = options.env ?? process.env;
  const isExecutable = options.isExecutable ?? executableFile;
  const configured = env.MLFOLIO_CHROMIUM || undefined;
  if (configured) {
    return isExecutable(configured)
      ? { found: true, path: configured, via: 'MLFOLIO_CHROMIUM' }
      : { found: false, tried: [configured], configured };
  }
  if (isExecutable(debianChromium)) return { found: true, path: debianChromium, via: 'debian' };
  const tried = [debianChromium];
  const directories = (env.PATH ?? '').split(delimiter).filter((dir) => dir && isAbsolute(dir));
  for (const command of chromiumCommands) {
    for (const directory of directories) {
      const path = join(directory, command);
      if (path === debianChromium) continue;
      tried.push(path);
      if (isExecutable(path)) return { found: true, path, via: 'PATH' };
    }
  }
  return { found: false, tried, configured: undefined };
}

/** Why no browser was found, and how to get one, in a sentence or two. */
export function missingChromiumMessage(lookup: Extract<ChromiumLookup, { found: false }>): string {
  if (lookup.configured) {
    return `MLFOLIO_CHROMIUM is ${lookup.configured}, which is not an executable file. Point it at a Chrome or Chromium binary, or unset it to use Debian's Chromium (\`${chromiumInstallCommand}\`).`;
  }
  return `No Chrome or Chromium found (looked for ${debianChromium} and ${chromiumCommands.join(', ')} on PATH). Install Debian's with \`${chromiumInstallCommand}\`, or set MLFOLIO_CHROMIUM to a Chrome or Chromium binary.`;
}

function executableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Flags for headless Chromium as root on a machine without a network: the background-networking
 * flags stop it from dialling Google services, which this network refuses.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
