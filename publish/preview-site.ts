import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { astroEnvironment } from './astro-environment.ts';

/**
 * `npm run preview`: Astro's preview server for the site in dist/, with Astro's telemetry off.
 * Arguments pass through to `astro preview` (`npm run preview -- --port 4000`), and its exit status
 * is this script's. An environment variable in the npm script would do the same on POSIX shells
 * only; this runs wherever npm does.
 */
const require = createRequire(import.meta.url);
const astroCli = join(dirname(require.resolve('astro/package.json')), 'bin', 'astro.mjs');
const child = spawn(process.execPath, [astroCli, 'preview', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ...astroEnvironment },
});
// Ctrl-C reaches both processes through the terminal; a signal sent to this one alone is passed on.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 128 + 2 : 1);
});
