import { defineCommand } from 'citty';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { requiredProjectArg } from './operations-args.ts';

export const replayCommand = defineCommand({
  meta: {
    name: 'replay',
    description:
      "Send the run's held-out events through a prediction server over HTTP and check every served forecast equals the run's offline one.",
  },
  args: {
    project: requiredProjectArg,
    url: {
      type: 'string',
      description:
        'The server to replay through (started with `mlfolio serve <project> --point-in-time`); default: one started for the replay.',
    },
    batch: { type: 'string', description: 'Events per request (default 32).' },
    experiment: {
      type: 'string',
      description:
        "Replay the held-out events of the latest run as traffic for this started experiment (its route on the project's server), then join the outcomes and analyse it.",
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
    const { replayHeldOut } = await import('../../serving/declared/replay-held-out.ts');
    const batch = args.batch === undefined ? undefined : Number(args.batch);
    if (batch !== undefined && !(Number.isInteger(batch) && batch >= 1 && batch <= 10_000)) {
      throw new MlfolioError({
        code: 'E_OPTION_INVALID',
        message: `--batch must be an integer from 1 to 10000; received "${args.batch}".`,
        exitCode: ExitCode.usage,
      });
    }
    const report = await replayHeldOut(workspace, slug, {
      ...(args.url ? { url: args.url } : {}),
      ...(batch ? { batch } : {}),
    });
    const m = report.model;
    console.log(
      `${slug}: ${report.events} held-out events of run ${m.runId} sent to ${report.url} in ${report.requests} requests (${(report.elapsedMs / 1000).toFixed(1)} s); model ${m.modelId}.`,
    );
    console.log(
      `Served = offline for every event: largest difference ${report.largestDifference.toExponential(2)}${report.largestAt ? ` (event ${report.largestAt.id}, ${report.largestAt.time})` : ''}.`,
    );
    if (report.stale || report.unknownEntities) {
      console.log(
        `${report.stale} event(s) read a stale feature; ${report.unknownEntities} named an entity with no history (priors used).`,
      );
    }
  },
});
