import type { RunRecord } from '../pipelines/runs/run-record.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { Progress } from '../portfolio/progress.ts';
import type { Project } from '../portfolio/project-spec.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import type { DecisionRecord } from './decision-record.ts';
import { appendDeployment } from './deployment-record.ts';
import { currentFeatureRows } from './feature-rows.ts';
import { monitorProject } from './monitor.ts';
import type { MonitoringRecord } from './monitoring-record.ts';
import { retrainProject } from './retrain.ts';

export interface ReplayOutcome {
  /** The day before the last season's first match: the data as it stood when the model shipped. */
  cutoff: string;
  initialRun: RunRecord;
  monitoring: MonitoringRecord;
  decision: DecisionRecord;
}

/**
 * Replays the project's data as if its last season arrived after the model shipped: trains and
 * deploys on the data up to the season before, then lets the last season arrive, monitors the
 * deployed model on it, and retrains with a promotion decision. Every step writes the same
 * records the real commands do.
 */
export async function replayLastSeason(
  workspace: Workspace,
  project: Project,
  options: { progress?: Progress; now?: () => Date } = {},
): Promise<ReplayOutcome> {
  const now = options.now ?? (() => new Date());
  const rows = await currentFeatureRows(workspace, project);
  const seasons = [...new Set(rows.map((row) => row.season))].sort();
  const last = seasons.at(-1);
  if (!last || seasons.length < project.spec.split.testSeasons + 2) {
    throw new MlfolioError({
      code: 'E_REPLAY_TOO_FEW_SEASONS',
      message: `Project "${project.slug}" has ${seasons.length} season(s) (${seasons.join(', ')}); a replay needs enough to train and test without the last one.`,
      hint: 'Collect more seasons, or lower split.testSeasons.',
    });
  }
  const firstOfLast = rows.find((row) => row.season === last)!.date;
  const cutoff = new Date(Date.parse(firstOfLast) - 86_400_000).toISOString().slice(0, 10);

  const { runProject } = await import('../pipelines/run-project.ts');
  const initial = await runProject(workspace, project, {
    dataUntil: cutoff,
    now,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  await appendDeployment(workspace, project.slug, {
    at: now().toISOString(),
    model: { runId: initial.record.runId, runKey: initial.record.key, modelId: initial.record.best },
    by: 'replay',
    reason: `Replay: the best model of the run on data up to ${cutoff}, before season ${last} arrived.`,
  });
  const { record: monitoring } = await monitorProject(workspace, project, { now });
  const { record: decision } = await retrainProject(workspace, project, {
    now,
    ...(options.progress ? { progress: options.progress } : {}),
  });
  return { cutoff, initialRun: initial.record, monitoring, decision };
}
