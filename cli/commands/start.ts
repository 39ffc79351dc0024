import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { formatMs } from '../../pipelines/engine/stage-graph.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { disableAstroTelemetry } from '../../publish/astro-environment.ts';
import { buildSite } from '../../publish/build-site.ts';
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
    // another does. Once any project computes, the site will be rebuilt: Astro's modules load
    // meanwhile, in the gaps this thread has while the threads finish the runs.
    let astro: Promise<unknown> | undefined;
    const preloadSite = () => {
      disableAstroTelemetry();
      astro ??= import('astro').catch(() => undefined);
    };
    const outcomes = await Promise.allSettled(
      runnable.map(async (slug) => {
        const progress = terminalProgress(process.stderr, `[${slug}] `);
        const project = await loadAnyProject(workspace, slug, {
          notice: (message) => progress.info(message),
        });
        await runAnyProject(workspace, project, { force: args.force, progress, onCompute: preloadSite });
      }),
    );
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed) throw failed.reason;
    await astro;
    const site = await buildSite(workspace, { force: args.force, progress: terminalProgress() });
    const where = relative(process.cwd(), site.outDir) || '.';
    console.log(
      `\nDone in ${formatMs(performance.now() - started)}: ${slugs.length - skipped.length} project(s) run${skipped.length ? ` and ${skipped.length} draft(s) skipped (${skipped.join(', ')})` : ''}; the site is in ${where}/ — run \`npm run preview\` and open the address it prints.`,
    );
  },
});
