import { cp, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { hashTree, hashValue } from '../portfolio/hash.ts';
import { type Progress, silentProgress } from '../portfolio/progress.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { disableAstroTelemetry } from './astro-environment.ts';
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
  const ignore = /node_modules|[/\\]\.astro[/\\]|\.tmp$/;
  const fingerprint = hashValue([
    await hashTree(codeRoot, siteCode, ignore),
    await hashTree(workspace.root, ['content'], ignore),
    process.env.BASE_PATH ?? '/',
    process.env.SITE_URL ?? '',
  ]);
  const cacheDir = join(codeRoot, 'node_modules', '.cache', 'mlfolio-site');
  const { scratch, temporary, previous } = await siteScratch(cacheDir, workspace.distDir);
  if (!options.force && (await readStamp(workspace.distDir)) === fingerprint) {
    progress.stage('publish', 'site inputs unchanged, dist/ is current');
    return { outDir: workspace.distDir, skipped: true, durationMs: performance.now() - started };
  }
  progress.stage('publish', 'building the static site with Astro');
  // Astro's build output imports packages by name while it prerenders, so it must be written
  // inside this package (where node_modules resolves), then moved beside the workspace's dist/.
  disableAstroTelemetry();
  const { build } = await import('astro');
  // Astro writes its prerender bundle under the working directory unless outDir is inside it
  // (getOutDirWithinCwd in astro/dist/core/build/common.js), so build from the code root.
  const workingDirectory = process.cwd();
  process.chdir(codeRoot);
  // The content collections and the site's data loader find the workspace through MLFOLIO_ROOT.
  process.env.MLFOLIO_ROOT = workspace.root;
  try {
    await withBuildLock(join(cacheDir, 'build.lock'), () =>
      build({
        root: codeRoot,
        outDir: scratch,
        // Per workspace, so builds of different portfolios never share Astro's content store.
        cacheDir: join(workspace.stateDir, 'astro-cache'),
        logLevel: process.env.MLFOLIO_ASTRO_LOG === 'info' ? 'info' : 'warn',
      }),
    );
  } catch (error) {
    await rm(scratch, { recursive: true, force: true });
    const cause = userError(error);
    if (cause) {
      throw new MlfolioError(
        {
          code: cause.code,
          message: `The site build failed: ${cause.message}`,
          hint: `${cause.hint ? `${cause.hint} ` : ''}The previous site in dist/ was left as it was.`,
        },
        { cause: error },
      );
    }
    throw new MlfolioError(
      {
        code: 'E_SITE_BUILD_FAILED',
        message: `The site build failed: ${(error as Error).message}`,
        hint: 'The previous site in dist/ was left as it was. Fix the file named above and run `npm start` again.',
      },
      { cause: error },
    );
  } finally {
    process.chdir(workingDirectory);
  }
  await writeJsonAtomic(join(scratch, stampFile), { fingerprint, builtAt: new Date().toISOString() });
  await moveDirectory(scratch, temporary);
  await rename(workspace.distDir, previous).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(temporary, workspace.distDir);
  await rm(previous, { recursive: true, force: true });
  return { outDir: workspace.distDir, skipped: false, durationMs: performance.now() - started };
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

/**
 * The MlfolioError a page threw, found through the causes Astro wraps it in. Matched by name and
 * code, not instanceof: pages run from Astro's bundle, which has its own copy of the class. Astro
 * replaces `hint` with its own, so the site's errors carry theirs as `mlfolioHint` (site-error.ts).
 */
function userError(error: unknown): { code: string; message: string; hint?: string } | undefined {
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
  return undefined;
}
