import { flushCompileCache } from 'node:module';
import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { formatMs } from '../../pipelines/engine/stage-graph.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { buildSite, type PendingSiteBuild, startSiteBuild } from '../../publish/build-site.ts';
import { draftReason } from '../../templates/draft-project.ts';
import { terminalProgress } from '../terminal-progress.ts';
import { forceArg, projectsFor } from './shared-args.ts';

export const startCommand = defineCommand({
  meta: {
    name: 'start',
    description:
      'Run every project end to end (collect, pipeline) and publish the site to dist/. Unchanged work is reused.',
  },
  args: { force: forceArg },
  async run({ args }) {
    const started = performance.now();
    const workspace = workspaceAt();
    const { runAnyProject } = await import('../../pipelines/run-any-project.ts');
    const slugs = await projectsFor(workspace, undefined);
    const skipped: string[] = [];
    const runnable: string[] = [];
    for (const slug of slugs) {
      const draft = await draftReason(workspace, slug);
      if (draft) {
        console.error(
          `[${slug}] skipped: a draft, because ${draft}. \`mlfolio audit ${slug}\` lists what is missing.`,
        );
        skipped.push(slug);
      } else runnable.push(slug);
    }
    // The projects run concurrently: while one waits for its fits and guard on the engine's
    // threads or for DuckDB, another collects or evaluates on this one, so no core idles between
    // projects. Each run is independent (own stage cache, seeded randomness); the first failure is
    // reported once every run has settled, so a finished project's run is recorded whatever
    // another does. Once any project computes, the site will change: its build starts then, and
    // bundles in a process of its own while the runs go on; it renders once they have all finished.
    let site: PendingSiteBuild | undefined;
    const startSite = () => {
      site ??= startSiteBuild(workspace, { progress: terminalProgress() });
    };
    const outcomes = await Promise.allSettled(
      runnable.map(async (slug) => {
        const progress = terminalProgress(process.stderr, `[${slug}] `);
        const project = await loadAnyProject(workspace, slug, {
          notice: (message) => progress.info(message),
        });
        await runAnyProject(workspace, project, { force: args.force, progress, onCompute: startSite });
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) {
      await site?.cancel();
      throw failed.reason;
    }
    let built: Awaited<ReturnType<typeof buildSite>>;
    if (site) {
      const rendering = site.finish();
      // The runs are over and the site renders in a process of its own, on one core: meanwhile this
      // process closes the engine's threads and writes Node's compile cache, which it would
      // otherwise do after the render, as it exits (about 2 s of a first start).
      await (await import('../../portfolio/thread-pool.ts')).closeEngineThreads();
      flushCompileCache();
      built = await rendering;
    } else {
      built = await buildSite(workspace, { force: args.force, progress: terminalProgress() });
    }
    const where = relative(process.cwd(), built.outDir) || '.';
    console.log(
      `\nDone in ${formatMs(performance.now() - started)}: ${slugs.length - skipped.length} project(s) run${skipped.length ? ` and ${skipped.length} draft(s) skipped (${skipped.join(', ')})` : ''}; the site is in ${where}/ — run \`npm run preview\` and open the address it prints.`,
    );
  },
});
