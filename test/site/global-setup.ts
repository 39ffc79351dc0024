import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findChromium } from '../../publish/chromium.ts';
import { browserSuitePlan } from './browser.ts';
import {
  copyExampleContent,
  exampleSlug,
  runCliOrThrow,
  slimProject,
  workspacesRoot,
  writeHostileDataset,
} from './workspaces.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Workspace with the example portfolio run and built (dist/ inside). */
    exampleRoot: string;
    /** The same runs, built with BASE_PATH=/portfolio/. */
    basePathRoot: string;
    /** A small dataset with hostile team names, run and built. */
    hostileRoot: string;
    /** The browser the browser suites launch, or null when they are skipped (never under CI). */
    chromiumPath: string | null;
  }
}

/**
 * Builds every site the browser and output tests read, once per `npm test`: in child processes,
 * as a user would, each in its own workspace. Unchanged stages and sites are reused between runs.
 * Finds the browser first: without one the browser suites are skipped with a message saying how
 * to install it, except under CI, where that fails the run.
 */
export default async function setup(project: TestProject): Promise<void> {
  // Decided first, so that CI without a browser fails before minutes of site builds.
  const browser = browserSuitePlan(process.env, findChromium());
  if (!browser.run && browser.fail) throw new Error(browser.message);
  if (!browser.run) console.warn(`\n${browser.message}\n`);
  project.provide('chromiumPath', browser.run ? browser.path : null);

  const exampleRoot = join(workspacesRoot, 'example');
  const basePathRoot = join(workspacesRoot, 'base-path');
  const hostileRoot = join(workspacesRoot, 'hostile');
  const hostileData = join(hostileRoot, 'hostile-football.json');

  await copyExampleContent(exampleRoot);
  await copyExampleContent(hostileRoot);
  await slimProject(hostileRoot, 3);
  // Without a writeup (which names the models left out) the project page renders its default sections.
  await rm(join(hostileRoot, 'content', 'projects', exampleSlug, 'writeup.mdx'), { force: true });
  await writeHostileDataset(hostileData);
  const hostileEnv = { MLFOLIO_OPENFOOTBALL_FILE: hostileData };
  await Promise.all([runCliOrThrow(['run'], exampleRoot), runCliOrThrow(['run'], hostileRoot, hostileEnv)]);
  // Site builds one at a time: concurrent Astro builds of the same code share its .astro/ content store.
  await runCliOrThrow(['publish'], exampleRoot);
  await runCliOrThrow(['publish'], hostileRoot, hostileEnv);
  await copyExampleContent(basePathRoot, { withRunsFrom: exampleRoot });
  await runCliOrThrow(['publish'], basePathRoot, { BASE_PATH: '/portfolio/' });

  project.provide('exampleRoot', exampleRoot);
  project.provide('basePathRoot', basePathRoot);
  project.provide('hostileRoot', hostileRoot);
}
