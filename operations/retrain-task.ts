import { join } from 'node:path';
import { runEngine } from '../pipelines/engine/run-engine.ts';
import { splitByTime } from '../pipelines/split/time-split.ts';
import {
  estimateMetric,
  metricDifference,
  metricValue,
  type TaskMetricId,
  taskMetrics,
} from '../pipelines/tasks/metrics.ts';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { Progress } from '../portfolio/progress.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import type { DecisionRecord } from './decision-record.ts';
import { type LoadedTaskModel, loadTaskModel, resolveDeployedTaskModel } from './deployed-task-model.ts';
import { appendDeployment } from './deployment-record.ts';
import { operationsPaths, recordId } from './operations-paths.ts';
import { compareTimes, currentTaskRows, forecastsOf } from './task-rows.ts';

/** Central coverage of the decision's bootstrap intervals. */
export const bootstrapLevel = 0.95;

export interface RetrainTaskOptions {
  /** Use the data as it stood on this date (or season). */
  dataUntil?: string;
  /** Improvement beyond zero the challenger must show, in primary-metric units. */
  margin?: number;
  resamples?: number;
  progress?: Progress;
  now?: () => Date;
}

/**
 * `mlfolio retrain` for a version 2 project, any task, with the version 1 rule: the engine runs on
 * the data available now, and its best candidate (the challenger) is compared with the deployed
 * model (the champion) on the challenger run's test period, which neither trained on: the paired
 * difference of the primary metric with a paired-bootstrap 95% interval. The challenger is promoted
 * only if the whole interval shows an improvement beyond `margin` (default 0); otherwise the
 * champion stays and the record says why. Every decision is recorded; a promotion (or the first
 * keep of an implicitly deployed champion, which pins it) is appended to the deployment log that
 * `mlfolio serve` follows.
 *
 * Errors: `E_NO_RUN` (nothing deployed yet), `E_HELD_OUT_OVERLAP` (the champion trained on part of
 * the held-out period), `E_HELD_OUT_MISMATCH` (the rebuilt held-out events disagree with the run).
 */
export async function retrainTaskProject(
  workspace: Workspace,
  project: LoadedProject,
  options: RetrainTaskOptions = {},
): Promise<{ record: DecisionRecord; file: string }> {
  const now = options.now ?? (() => new Date());
  const margin = options.margin ?? 0;
  const resamples = options.resamples ?? 1000;
  const slug = project.slug;
  const champion = await resolveDeployedTaskModel(workspace, slug);
  const outcome = await runEngine(workspace, project, {
    ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
    ...(options.progress ? { progress: options.progress } : {}),
    now,
  });
  const challengerRun = outcome.record;
  const challenger = await loadTaskModel(workspace, slug, {
    runId: challengerRun.runId,
    runKey: challengerRun.key,
    modelId: challengerRun.bestCandidate ?? challengerRun.best,
  });
  const heldOut = challengerRun.split.test;
  if (
    compareTimes(champion.run.split.train.to, heldOut.from) >= 0 ||
    compareTimes(champion.run.split.test.to, heldOut.to) > 0
  ) {
    throw new MlfolioError({
      code: 'E_HELD_OUT_OVERLAP',
      message: `Project "${slug}": the champion (${champion.ref.modelId} of run ${champion.run.runId}) saw data up to ${champion.run.split.test.to}, but the challenger's held-out period runs ${heldOut.from} to ${heldOut.to}: the comparison would not be on data both models are blind to.`,
      hint: 'Retrain on data that extends past the champion’s (collect newer events first), or use --until to replay an earlier date.',
    });
  }

  const { rows } = await currentTaskRows(workspace, project, options.dataUntil);
  const timed = rows.times.map((time, i) => ({ time, season: rows.seasons[i]! }));
  const split = splitByTime(slug, timed, project.file.split, project.specFile);
  const task = rows.task;
  const metric = challengerRun.task.primaryMetric as TaskMetricId;
  const outcomes = split.test.map((i) => rows.outcomes[i]!);
  const scoresOf = (model: LoadedTaskModel) =>
    forecastsOf(model.artifact, rows, split.test, { slug, model: model.ref.modelId });
  const championForecasts = scoresOf(champion);
  const challengerForecasts = scoresOf(challenger);
  const recorded = challenger.model.metrics[metric]!.value;
  const recomputed = metricValue(metric, task, challengerForecasts, outcomes);
  if (split.test.length !== heldOut.rows || Math.abs(recomputed - recorded) > 1e-9) {
    throw new MlfolioError({
      code: 'E_HELD_OUT_MISMATCH',
      message: `Project "${slug}": recomputing the challenger's ${metric} on its held-out period gave ${recomputed} over ${split.test.length} events, but run ${challengerRun.runId} recorded ${recorded} over ${heldOut.rows}.`,
      hint: 'The data or the feature code changed between the engine run and this comparison; run `mlfolio retrain` again.',
      exitCode: 1,
    });
  }
  const seed = project.file.seed;
  const bootstrap = { resamples, seed, level: bootstrapLevel };
  const difference = metricDifference(
    metric,
    task,
    challengerForecasts,
    championForecasts,
    outcomes,
    bootstrap,
  );
  const higherIsBetter = taskMetrics[metric].better === 'higher';
  // "Better" in loss units is negative; flip so that a positive gain is always an improvement.
  const sign = higherIsBetter ? 1 : -1;
  const gainLower = Math.min(sign * difference.lower!, sign * difference.upper!);
  const sameModel =
    champion.ref.runKey === challenger.ref.runKey && champion.ref.modelId === challenger.ref.modelId;
  const promote = !sameModel && gainLower > margin;
  const label = taskMetrics[metric].label;
  const fmt = (v: number) => v.toFixed(4);
  const interval = `${fmt(difference.value)} (95% CI ${fmt(difference.lower!)} to ${fmt(difference.upper!)})`;
  const events = `${outcomes.length} held-out events (${heldOut.from} to ${heldOut.to})`;
  const reason = sameModel
    ? `No new data changed the engine's result: the challenger is the champion itself (run ${challenger.ref.runId}, ${challenger.ref.modelId}).`
    : promote
      ? `The challenger is better on ${label}: challenger − champion = ${interval} on ${events}, and the whole interval shows an improvement larger than the required margin of ${margin}.`
      : `Challenger − champion ${label} is ${interval} on ${events}; the interval ${gainLower > 0 ? `does not clear the required margin of ${margin}` : 'includes zero or favours the champion'}, so the data cannot show the challenger is better. The champion stays.`;

  const decidedAt = now();
  const id = recordId(decidedAt);
  const scored = (model: LoadedTaskModel, forecasts: typeof championForecasts) => ({
    ...model.ref,
    label: model.model.label,
    score: estimateMetric(metric, task, forecasts, outcomes, { seed, resamples }),
  });
  const record: DecisionRecord = {
    schemaVersion: 2,
    task: { kind: challengerRun.task.kind, target: challengerRun.task.target },
    id,
    project: slug,
    decidedAt: decidedAt.toISOString(),
    ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
    metric,
    higherIsBetter,
    heldOut,
    champion: scored(champion, championForecasts),
    challenger: scored(challenger, challengerForecasts),
    difference,
    margin,
    bootstrap,
    verdict: promote ? 'promote' : 'keep',
    reason,
    deployed: promote ? challenger.ref : champion.ref,
  };
  const file = join(operationsPaths(workspace, slug).decisionsDir, `${id}.json`);
  await writeJsonAtomic(file, record);
  // A champion that was only implicitly deployed (the latest run's best candidate) is pinned when
  // kept, so that a later `mlfolio run` cannot silently replace it.
  if (promote || champion.deployment === undefined) {
    await appendDeployment(workspace, slug, {
      at: decidedAt.toISOString(),
      model: promote ? challenger.ref : champion.ref,
      by: 'retrain',
      decision: id,
      reason,
    });
  }
  return { record, file };
}
