import { fork } from 'node:child_process';
import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { hashTree, hashValue } from '../portfolio/hash.ts';
import { type Progress, silentProgress } from '../portfolio/progress.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { astroEnvironment } from './astro-environment.ts';
import { withBuildLock } from './build-lock.ts';
import { siteScratch } from './site-scratch.ts';

/** The site's code, in this package. Content comes from the workspace, which may be elsewhere. */
const codeRoot = join(import.meta.dirname, '..');
/** Everything the site is built from, besides the workspace's content/: a change triggers a rebuild. */
const siteCode = [
  'src',
  'public',
  'publish',
  'portfolio',
  'pipelines',
  'learning',
  'templates',
  'astro.config.mjs',
  'package-lock.json',
];
const stampFile = '.mlfolio-build.json';

export interface SiteBuild {
  outDir: string;
  skipped: boolean;
  durationMs: number;
}

/** What a failed build reports: the MlfolioError a page threw (code, message, hint), or a message. */
export interface SiteBuildFailure {
  code?: string;
  message: string;
  hint?: string;
}

/** A site build started before its content is final (`startSiteBuild`). */
export interface PendingSiteBuild {
  /** Settles once the site is bundled and waits for its content (rejects if the build failed first). */
  bundled: Promise<void>;
  /** The content is final: the build renders its pages, and the site replaces `dist/`. */
  finish(): Promise<SiteBuild>;
  /** Stops the build and removes what it wrote; `dist/` is left as it was. */
  cancel(): Promise<void>;
}

/**
 * Builds the static site into `dist/`. Skips the build when the fingerprint of its inputs matches
 * the one the current `dist/` was built from. Builds into a temporary directory and swaps it in only
 * on success, so a failed build leaves the previous site intact.
 */
export async function buildSite(
  workspace: Workspace,
  options: { force?: boolean; progress?: Progress } = {},
): Promise<SiteBuild> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const fingerprint = siteFingerprint(workspace);
  if (!options.force && (await readStamp(workspace.distDir)) === (await fingerprint)) {
    progress.stage('publish', 'site inputs unchanged, dist/ is current');
    return { outDir: workspace.distDir, skipped: true, durationMs: performance.now() - started };
  }
  return launchBuild(workspace, progress, started).finish(fingerprint);
}

/**
 * Starts building the site while its content is still being written — `mlfolio start` calls it
 * once a project computes, since the site will change — and renders the pages once `finish` says
 * the content is final. Astro bundles the site meanwhile, in a process of its own at low priority,
 * on what the runs leave idle; the pages read the runs only when they render (astro-build-process.ts).
 */
export function startSiteBuild(
  workspace: Workspace,
  options: { progress?: Progress } = {},
): PendingSiteBuild {
  const build = launchBuild(workspace, options.progress ?? silentProgress, performance.now(), true);
  return {
    bundled: build.bundled,
    finish: () => build.finish(siteFingerprint(workspace)),
    cancel: build.cancel,
  };
}

/** What the stamp records: the site's code and the workspace's content, as they are now. */
async function siteFingerprint(workspace: Workspace): Promise<string> {
  const ignore = /node_modules|[/\\]\.astro[/\\]|\.tmp$/;
  return hashValue([
    await hashTree(codeRoot, siteCode, ignore),
    await hashTree(workspace.root, ['content'], ignore),
    process.env.BASE_PATH ?? '/',
    process.env.SITE_URL ?? '',
  ]);
}

function launchBuild(
  workspace: Workspace,
  progress: Progress,
  started: number,
  background = false,
): {
  bundled: Promise<void>;
  finish(fingerprint: Promise<string>): Promise<SiteBuild>;
  cancel(): Promise<void>;
} {
  progress.stage(
    'publish',
    background
      ? 'building the static site with Astro: bundled now, at low priority, its pages rendered once the runs finish'
      : 'building the static site with Astro',
  );
  const cacheDir = join(codeRoot, 'node_modules', '.cache', 'mlfolio-site');
  const render = Promise.withResolvers<void>();
  const bundled = Promise.withResolvers<void>();
  const abort = new AbortController();
  const built = (async () => {
    const folders = await siteScratch(cacheDir, workspace.distDir);
    try {
      await withBuildLock(join(cacheDir, 'build.lock'), () =>
        astroBuild(
          workspace,
          folders.scratch,
          { bundled: bundled.resolve, render: render.promise },
          background,
          abort.signal,
        ),
      );
    } catch (error) {
      await rm(folders.scratch, { recursive: true, force: true });
      throw error;
    }
    return folders;
  })();
  // Observed by finish or cancel; a build nobody finishes must not end the process.
  built.catch(bundled.reject);
  bundled.promise.catch(() => {});
  return {
    bundled: bundled.promise,
    async finish(fingerprint) {
      if (background) progress.stage('publish', 'the runs are done: rendering the pages');
      render.resolve();
      const [{ scratch, temporary, previous }, print] = await Promise.all([built, fingerprint]);
      await writeJsonAtomic(join(scratch, stampFile), {
        fingerprint: print,
        builtAt: new Date().toISOString(),
      });
      await moveDirectory(scratch, temporary);
      await rename(workspace.distDir, previous).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      });
      await rename(temporary, workspace.distDir);
      await rm(previous, { recursive: true, force: true });
      return { outDir: workspace.distDir, skipped: false, durationMs: performance.now() - started };
    },
    async cancel() {
      abort.abort();
      await built.catch(() => {});
    },
  };
}

/**
 * Runs astro-build-process.ts into `outDir`: calls `bundled` when it has bundled the site, and lets
 * it render once `render` resolves. Astro's build output imports packages by name while it
 * prerenders, so it is written inside this package (where node_modules resolves), then moved
 * beside the workspace's dist/; Astro also writes its prerender bundle under the working directory
 * unless the output is inside it, so the process works in the code root.
 */
function astroBuild(
  workspace: Workspace,
  outDir: string,
  { bundled, render }: { bundled: () => void; render: Promise<void> },
  background: boolean,
  signal: AbortSignal,
): Promise<void> {
  // Per workspace, so builds of different portfolios never share Astro's content store.
  const astroCache = join(workspace.stateDir, 'astro-cache');
  if (signal.aborted) return Promise.reject(signal.reason);
  const args = [outDir, astroCache, ...(background ? ['background'] : [])];
  const child = fork(join(import.meta.dirname, 'astro-build-process.ts'), args, {
    cwd: codeRoot,
    // The content collections and the site's data loader find the workspace through MLFOLIO_ROOT.
    env: { ...process.env, ...astroEnvironment, MLFOLIO_ROOT: workspace.root },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const stop = () => child.kill();
  signal.addEventListener('abort', stop, { once: true });
  void render.then(() => {
    if (child.connected) child.send({ type: 'render' });
  });
  return new Promise<void>((resolve, reject) => {
    let failure: SiteBuildFailure | undefined;
    let done = false;
    child.on('message', (message: { type: string; error?: SiteBuildFailure }) => {
      if (message.type === 'bundled') bundled();
      if (message.type === 'failed') failure = message.error;
      if (message.type === 'done') {
        // The site is written and the process has let go of the terminal: what is left of it is
        // its exit (Node writing its compile cache, about a second after a first build), which
        // this command need not wait for.
        done = true;
        signal.removeEventListener('abort', stop);
        child.disconnect();
        child.unref();
        resolve();
      }
    });
    child.on('error', reject);
    child.on('exit', (code, exitSignal) => {
      signal.removeEventListener('abort', stop);
      if (done) resolve();
      else if (signal.aborted) reject(signal.reason);
      else
        reject(
          buildError(
            failure ?? { message: `the Astro build process exited with ${exitSignal ?? `code ${code}`}` },
          ),
        );
    });
  });
}

function buildError(failure: SiteBuildFailure): MlfolioError {
  if (failure.code) {
    return new MlfolioError({
      code: failure.code,
      message: `The site build failed: ${failure.message}`,
      hint: `${failure.hint ? `${failure.hint} ` : ''}The previous site in dist/ was left as it was.`,
    });
  }
  return new MlfolioError({
    code: 'E_SITE_BUILD_FAILED',
    message: `The site build failed: ${failure.message}`,
    hint: 'The previous site in dist/ was left as it was. Fix the file named above and run `npm start` again.',
  });
}

/** Renames, or copies then removes when `from` and `to` are on different file systems. */
async function moveDirectory(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await cp(from, to, { recursive: true });
    await rm(from, { recursive: true, force: true });
  }
}

async function readStamp(distDir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(distDir, stampFile), 'utf8')) as { fingerprint: string })
      .fingerprint;
  } catch {
    return undefined;
  }
}
