import { readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { hashTree } from '../portfolio/hash.ts';
import { type Progress, silentProgress } from '../portfolio/progress.ts';
import type { Workspace } from '../portfolio/workspace.ts';

/** The mlfolio checkout whose `src/` and `astro.config.mjs` render every workspace. */
const siteCodeRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Everything the site is built from: code here, content in the workspace. A change to any triggers a rebuild. */
const siteCode = [
  'src',
  'public',
  'publish',
  'pipelines/models/artifact.ts',
  'pipelines/explain/contributions.ts',
  'pipelines/features',
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
  const fingerprint = [
    await hashTree(siteCodeRoot, siteCode, ignore),
    await hashTree(workspace.root, ['content'], ignore),
    process.env.BASE_PATH ?? '/',
    process.env.SITE_URL ?? '',
  ].join(':');
  if (!options.force && (await readStamp(workspace.distDir)) === fingerprint) {
    progress.stage('publish', 'site inputs unchanged, dist/ is current');
    return { outDir: workspace.distDir, skipped: true, durationMs: performance.now() - started };
  }
  progress.stage('publish', 'building the static site with Astro');
  const temporary = `${workspace.distDir}.tmp-${process.pid}`;
  const { build } = await import('astro');
  // astro.config.mjs and the site's data loader find the workspace through MLFOLIO_ROOT.
  process.env.MLFOLIO_ROOT = workspace.root;
  try {
    await build({
      root: siteCodeRoot,
      outDir: temporary,
      cacheDir: join(workspace.stateDir, 'astro-cache'),
      logLevel: process.env.MLFOLIO_ASTRO_LOG === 'info' ? 'info' : 'warn',
    });
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
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
  }
  await writeJsonAtomic(join(temporary, stampFile), { fingerprint, builtAt: new Date().toISOString() });
  const previous = `${workspace.distDir}.old-${process.pid}`;
  await rename(workspace.distDir, previous).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
  await rename(temporary, workspace.distDir);
  await rm(previous, { recursive: true, force: true });
  return { outDir: workspace.distDir, skipped: false, durationMs: performance.now() - started };
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
 * code, not instanceof: pages run from Astro's bundle, which has its own copy of the class.
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
