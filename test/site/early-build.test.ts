import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, test } from 'vitest';
import { listRunIds } from '../../pipelines/runs/run-record.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { buildSite, startSiteBuild } from '../../publish/build-site.ts';
import { copyExampleContent, exampleSlug, repoRoot, workspacesRoot } from './workspaces.ts';

/** A copy of the example workspace's content without its runs; `runs()` copies them in. */
async function workspaceWithoutRuns(name: string) {
  const root = join(workspacesRoot, name);
  await rm(root, { recursive: true, force: true });
  await copyExampleContent(root);
  const runsDir = join(root, 'content', 'projects', exampleSlug, 'runs');
  return {
    workspace: workspaceAt(root),
    runs: () =>
      cp(join(inject('exampleRoot'), 'content', 'projects', exampleSlug, 'runs'), runsDir, {
        recursive: true,
      }),
  };
}

/** The id of the run the example's project page was built from, read off the built page. */
async function runIdOnPage(distDir: string): Promise<string | undefined> {
  const page = await readFile(join(distDir, 'projects', exampleSlug, 'index.html'), 'utf8');
  return page.match(/\d{8}T\d{9}Z-[0-9a-f]{8}/)?.[0];
}

/** This process's scratch folders in the site's build cache (named `build-<host>~<pid>~…`). */
async function ownScratch(): Promise<string[]> {
  const cacheDir = join(repoRoot, 'node_modules', '.cache', 'mlfolio-site');
  const entries = await readdir(cacheDir).catch(() => []);
  return entries.filter((name) => name.startsWith('build-') && name.includes(`~${process.pid}~`));
}

describe('a site build started before its content is final (what `mlfolio start` does)', () => {
  test('bundles first, then renders the content as it is when the build is finished', async () => {
    const { workspace, runs } = await workspaceWithoutRuns('early-build');
    const pending = startSiteBuild(workspace);
    await pending.bundled;
    // The run arrives after Astro has bundled the site: the pages must still show it.
    await runs();
    const site = await pending.finish();
    expect(site.skipped).toBe(false);
    // The latest run: the example workspace the global setup keeps between test runs may hold older ones.
    const run = (await listRunIds(join(workspace.projectsDir, exampleSlug, 'runs'))).at(-1);
    expect(run).toBeDefined();
    expect(await runIdOnPage(site.outDir)).toBe(run);
    // Its stamp describes the final content: a build of the same inputs is skipped.
    expect((await buildSite(workspace)).skipped).toBe(true);
  }, 180_000);

  test('cancelled, it leaves dist/ as it was and removes what it wrote', async () => {
    const { workspace, runs } = await workspaceWithoutRuns('early-build-cancelled');
    await runs();
    await buildSite(workspace);
    const before = await readFile(join(workspace.distDir, 'projects', exampleSlug, 'index.html'), 'utf8');

    const pending = startSiteBuild(workspace);
    await pending.bundled;
    expect(await ownScratch()).toHaveLength(1);
    await pending.cancel();
    expect(await ownScratch()).toEqual([]);
    expect(await readFile(join(workspace.distDir, 'projects', exampleSlug, 'index.html'), 'utf8')).toBe(
      before,
    );
    // The build lock was released: another build goes ahead.
    expect((await buildSite(workspace, { force: true })).skipped).toBe(false);
  }, 180_000);

  test('a page that fails to render fails the build with its own error, and leaves no dist/', async () => {
    const { workspace, runs } = await workspaceWithoutRuns('early-build-failing');
    await runs();
    const writeup = join(workspace.projectsDir, exampleSlug, 'writeup.mdx');
    await writeFile(
      writeup,
      `${await readFile(writeup, 'utf8')}\nXGBoost scored <Metric model="xgboost" name="rps" />.\n`,
    );
    const pending = startSiteBuild(workspace);
    await pending.bundled;
    await expect(pending.finish()).rejects.toMatchObject({
      name: 'MlfolioError',
      code: 'E_SITE_MODEL_UNKNOWN',
      message: expect.stringContaining('model "xgboost"'),
    });
    expect(existsSync(workspace.distDir)).toBe(false);
    expect(await ownScratch()).toEqual([]);
  }, 180_000);
});
