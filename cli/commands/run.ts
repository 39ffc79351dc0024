import { defineCommand } from 'citty';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { terminalProgress } from '../terminal-progress.ts';
import { forceArg, projectArg, projectsFor } from './shared-args.ts';

export const runCommand = defineCommand({
  meta: {
    name: 'run',
    description:
      "Run a project's pipeline (collect, features, split, train, evaluate, report), reusing unchanged stages.",
  },
  args: { project: projectArg, force: forceArg },
  async run({ args }) {
    const workspace = workspaceAt();
    const { runAnyProject } = await import('../../pipelines/run-any-project.ts');
    const { formatMs } = await import('../../pipelines/engine/stage-graph.ts');
    for (const slug of await projectsFor(workspace, args.project)) {
      const progress = terminalProgress(process.stderr, `[${slug}] `);
      const project = await loadAnyProject(workspace, slug, { notice: (message) => progress.info(message) });
      const { record, reused, runDir } = await runAnyProject(workspace, project, {
        force: args.force,
        progress,
      });
      const best = record.models.find((m) => m.id === record.best)!;
      const metric = record.task.primaryMetric;
      console.log(
        `${slug}: ${reused ? 'unchanged, latest run' : 'new run'} ${record.runId} — best ${best.id} ${metric} ${best.metrics[metric]!.value.toFixed(4)} (${runDir}, ${formatMs(record.timings.totalMs)})`,
      );
    }
  },
});
