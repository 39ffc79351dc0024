import { defineCommand } from 'citty';
import { loadProject } from '../../portfolio/project-spec.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { terminalProgress } from '../terminal-progress.ts';
import { requiredProjectArg } from './operations-args.ts';

export const replayCommand = defineCommand({
  meta: {
    name: 'replay',
    description:
      "Rehearse operations on the project's own data, as if its last season arrived after the model shipped: train and deploy without it, then monitor and retrain when it arrives. Writes the same records as monitor and retrain.",
  },
  args: {
    project: requiredProjectArg,
    experiment: {
      type: 'string',
      description:
        "Replay the held-out period of the project's latest run through its server as traffic for this started experiment (version 2 projects), then join the outcomes and analyse it.",
    },
  },
  async run({ args }) {
    const slug = args.project;
    const workspace = workspaceAt();
    if (args.experiment !== undefined) {
      const { replayExperimentCommand } = await import('./experiment-replay-command.ts');
      await replayExperimentCommand(workspace, slug, args.experiment);
      return;
    }
    const project = await loadProject(workspace, slug);
    const { replayLastSeason } = await import('../../operations/replay.ts');
    const outcome = await replayLastSeason(workspace, project, {
      progress: terminalProgress(process.stderr, `[${project.slug}] `),
    });
    const { monitoring, decision } = outcome;
    console.log(
      `${project.slug}: deployed ${outcome.initialRun.best} of run ${outcome.initialRun.runId} (data up to ${outcome.cutoff}).`,
    );
    console.log(`Monitoring: ${monitoring.status.toUpperCase()}`);
    for (const finding of monitoring.findings) console.log(`  - ${finding}`);
    console.log(`Retrain: ${decision.verdict.toUpperCase()} — ${decision.reason}`);
  },
});
