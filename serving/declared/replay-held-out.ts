import { loadTaskModel } from '../../operations/deployed-task-model.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import {
  heldOutEvents,
  pointInTimeRequestTimeoutMs,
  type ReplayReport,
  replayThroughServer,
  replayTolerance,
} from './held-out-replay.ts';
import { serveDeclaredProject } from './task-server.ts';

/**
 * `mlfolio replay` for a version 2 project: the deployed model's held-out events sent as traffic
 * to a prediction server over HTTP — the one at `url`, or one started for the replay on a free
 * loopback port, point in time — and every served forecast compared with the run's offline
 * forecast for the same event. Throws `E_REPLAY_SKEW`, naming the first event, on a mismatch.
 */
export async function replayHeldOut(
  workspace: Workspace,
  slug: string,
  options: { url?: string; batch?: number } = {},
): Promise<ReplayReport> {
  const project = await loadProjectFile(workspace, slug);
  const running = options.url
    ? undefined
    : await serveDeclaredProject(
        workspace,
        slug,
        { port: 0, requestTimeoutMs: pointInTimeRequestTimeoutMs },
        { pointInTime: true },
      );
  try {
    const version = running?.predictor.version;
    const target = version
      ? { runId: version.runId, runKey: version.runKey, modelId: version.modelId }
      : await deployedRef(workspace, slug);
    const loaded = await loadTaskModel(workspace, slug, target);
    const events = await heldOutEvents(workspace, project, loaded);
    const report = await replayThroughServer(options.url ?? running!.url, events, target, {
      ...(options.batch ? { batch: options.batch } : {}),
    });
    const first = report.mismatches[0];
    if (first) {
      throw new MlfolioError({
        code: 'E_REPLAY_SKEW',
        message: `Training–serving skew: ${report.mismatches.length} of ${report.events} held-out events were served a different forecast from the run's offline one (tolerance ${replayTolerance}); first: event ${first.id} on ${first.time} (${Object.entries(
          first.entities,
        )
          .map(([role, key]) => `${role} ${key}`)
          .join(', ')}), difference ${first.difference}.`,
        hint: 'The served features differ from the training set’s: run `mlfolio features check <project>` and compare the event’s features with the offline row.',
        exitCode: 5,
      });
    }
    return report;
  } finally {
    await running?.app.close();
  }
}

async function deployedRef(workspace: Workspace, slug: string) {
  const { resolveDeployedTaskModel } = await import('../../operations/deployed-task-model.ts');
  return (await resolveDeployedTaskModel(workspace, slug)).ref;
}
