import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { buildSite } from '../../publish/build-site.ts';
import { draftReason } from '../../templates/draft-project.ts';
import { runProjectsInChildren } from '../run-in-children.ts';
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
    const { formatMs } = await import('../../pipelines/run-project.ts');
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
        continue;
      }
      // Every project file is validated here first, so a typo fails before any pipeline starts.
      await loadAnyProject(workspace, slug);
      runnable.push(slug);
    }
    const runs = await runProjectsInChildren(runnable, { force: args.force, cwd: workspace.root });
    const failed = runs.filter((run) => run.exitCode !== 0);
    if (failed.length) {
      throw new MlfolioError({
        code: 'E_PROJECT_RUN_FAILED',
        message: `${failed.map((run) => run.slug).join(', ')} failed (the reasons are above, prefixed with each project); the other projects' runs are kept and the site was not built.`,
        hint: `Fix the project named and rerun \`npm start\`: finished stages are reused.`,
        // A child's own status is one of ours (it ran the same CLI); a signal or crash is internal.
        exitCode: (Object.values(ExitCode) as number[]).includes(failed[0]!.exitCode)
          ? (failed[0]!.exitCode as ExitCode)
          : ExitCode.internal,
      });
    }
    const site = await buildSite(workspace, { force: args.force, progress: terminalProgress() });
    const where = relative(process.cwd(), site.outDir) || '.';
    console.log(
      `\nDone in ${formatMs(performance.now() - started)}: ${slugs.length - skipped.length} project(s) run${skipped.length ? ` and ${skipped.length} draft(s) skipped (${skipped.join(', ')})` : ''}; the site is in ${where}/ — run \`npm run preview\` and open the address it prints.`,
    );
  },
});
