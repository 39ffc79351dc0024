/**
 * One Astro build of the site, in a process of its own, started by `build-site.ts` with an IPC
 * channel. Arguments: <out folder> <Astro cache folder> [`background`]; the workspace comes from
 * MLFOLIO_ROOT and the working directory is the site's code.
 *
 * Astro bundles the site (content collections, server and client entrypoints) before it renders a
 * page, and nothing it bundles reads a run: pages read runs when they render. So the build bundles
 * at once, sends `{ type: 'bundled' }`, and renders only when the parent sends `{ type: 'render' }`
 * (the content is final): `mlfolio start` bundles while the projects run. Sends `{ type: 'done' }`
 * once the site is written, having closed its standard output and error, or `{ type: 'failed',
 * error }` with the error a page threw, and exits (Astro may leave handles open); exits too if the
 * parent goes away.
 */
import { closeSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { setPriority } from 'node:os';
import type { SiteBuildFailure } from './build-site.ts';
import { warmUpRender } from './warm-up-render.ts';

enableCompileCache();
const [outDir, cacheDir, when] = process.argv.slice(2) as [string, string, string | undefined];
if (!process.send || !outDir || !cacheDir) {
  console.error(
    'astro-build-process.ts runs as a child of build-site.ts: <out folder> <cache folder> [background]',
  );
  process.exit(2);
}
// A build started while the projects still run bundles on the cores they leave idle, and never
// delays them: its content is not final before they finish anyway. The threads it starts (the
// bundler's) take this thread's priority; once the runs are over nothing competes with it, so it
// need not (and, unprivileged, could not) raise it again.
if (when === 'background') setPriority(10);
const send = (
  message: { type: 'bundled' } | { type: 'done' } | { type: 'failed'; error: SiteBuildFailure },
) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

// A build whose parent died has no one to hand its site to.
process.on('disconnect', () => process.exit(1));
const render = new Promise<void>((resolve) => {
  process.on('message', (message: { type?: string }) => {
    if (message.type === 'render') resolve();
  });
});

try {
  const { build } = await import('astro');
  await build({
    root: process.cwd(),
    outDir,
    // Per workspace, so builds of different portfolios never share Astro's content store.
    cacheDir,
    logLevel: process.env.MLFOLIO_ASTRO_LOG === 'info' ? 'info' : 'warn',
    vite: {
      plugins: [
        {
          name: 'mlfolio:render-when-content-is-final',
          // Vite runs the "post" buildApp hooks in plugin order after building every environment,
          // and Astro's own (which renders the pages) comes after the configuration's plugins.
          buildApp: {
            order: 'post',
            async handler() {
              await send({ type: 'bundled' });
              // Started in the background, it has the runs' time to spare; otherwise it renders at once.
              if (when === 'background') await warmUpRender();
              await render;
            },
          },
        },
      ],
    },
  });
  // Done: the parent goes on without waiting for this process to exit (which writes Node's compile
  // cache, about a second after a first build).
  process.removeAllListeners('disconnect');
  await letGoOfTheTerminal();
  await send({ type: 'done' });
  process.exit(0);
} catch (error) {
  await send({ type: 'failed', error: siteBuildFailure(error) });
  process.exit(1);
}

/**
 * Closes this process's standard output and error once what it wrote has drained, and stops Vite's
 * esbuild service (a process of its own that shares them), so a script reading the parent's output
 * is not held open by either while this one exits. Best effort: the site is written by now, and if
 * this fails the reader waits for the exit, as it would anyway.
 */
async function letGoOfTheTerminal(): Promise<void> {
  try {
    (await import('esbuild')).stop();
    await Promise.all([drained(process.stdout), drained(process.stderr)]);
    closeSync(1);
    closeSync(2);
  } catch {
    // Nothing to report to: see above.
  }
}

/** Resolves once everything written to `stream` so far has been handed to the system. */
function drained(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

/**
 * What the parent reports of a failed build: the MlfolioError a page threw, found through the
 * causes Astro wraps it in, or the error's message. Matched by name and code, not instanceof: pages
 * run from Astro's bundle, which has its own copy of the class. Astro replaces `hint` with its own,
 * so the site's errors carry theirs as `mlfolioHint` (site-error.ts).
 */
function siteBuildFailure(error: unknown): SiteBuildFailure {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const candidate = current as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      mlfolioHint?: unknown;
      cause?: unknown;
    };
    if (candidate.name === 'MlfolioError' && typeof candidate.code === 'string') {
      return {
        code: candidate.code,
        message: String(candidate.message),
        ...(typeof candidate.mlfolioHint === 'string' ? { hint: candidate.mlfolioHint } : {}),
      };
    }
    current = candidate.cause;
  }
  return { message: error instanceof Error ? error.message : String(error) };
}
