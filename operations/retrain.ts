import { join } from 'node:path';
import { bootstrapMean, pairedBootstrapDifference } from '../pipelines/evaluation/bootstrap.ts';
import { metricInfo, rowScores } from '../pipelines/evaluation/metrics.ts';
import type { FeatureRow } from '../pipelines/features/match-features.ts';
import { predictProbabilities } from '../pipelines/models/artifact.ts';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { Progress } from '../portfolio/progress.ts';
import type { MetricName, Project } from '../portfolio/project-spec.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import type { DecisionRecord } from './decision-record.ts';
import { type LoadedModel, loadModel, resolveDeployedModel } from './deployed-model.ts';
import { appendDeployment } from './deployment-record.ts';
import { currentFeatureRows } from './feature-rows.ts';
import { operationsPaths, recordId } from './operations-paths.ts';

export interface RetrainOptions {
  /** Replay the data as it stood on this date (YYYY-MM-DD). */
  dataUntil?: string;
  /** Improvement beyond zero the challenger must show, in primary-metric units. */
  margin?: number;
  resamples?: number;
  progress?: Progress;
  now?: () => Date;
}

export const bootstrapLevel = 0.95;

/**
 * Reruns the pipeline on the current data and compares its best model (the challenger) with the
 * deployed one (the champion) on the challenger run's held-out period, which neither trained on.
 * The challenger is promoted only if the paired-bootstrap interval of its improvement on the
 * primary metric lies wholly beyond `margin`; otherwise the champion stays. Every decision is
 * recorded; a promotion (or the first keep of an implicitly deployed champion) is appended to the
 * deployment log.
 */
export async function retrainProject(
  workspace: Workspace,
  project: Project,
  options: RetrainOptions = {},
): Promise<{ record: DecisionRecord; file: string }> {
  const now = options.now ?? (() => new Date());
  const margin = options.margin ?? 0;
  const resamples = options.resamples ?? 1000;
  const champion = await resolveDeployedModel(workspace, project.slug);
  const { runProject } = await import('../pipelines/run-project.ts');
  const outcome = await runProject(workspace, project, {
    ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
    ...(options.progress ? { progress: options.progress } : {}),
    now,
  });
  const challengerRun = outcome.record;
  const challenger = await loadModel(workspace, project.slug, {
    runId: challengerRun.runId,
    runKey: challengerRun.key,
    modelId: challengerRun.best,
  });
  const heldOut = challengerRun.split.test;
  if (champion.run.split.train.to >= heldOut.from || champion.run.split.test.to > heldOut.to) {
    throw new MlfolioError({
      code: 'E_HELD_OUT_OVERLAP',
      message: `The champion (run ${champion.run.runId}) saw data up to ${champion.run.split.test.to}, but the challenger's held-out period runs ${heldOut.from} to ${heldOut.to}: the comparison would not be on data both models are blind to.`,
      hint: 'Retrain on data that extends past the champion’s (collect newer matches first).',
    });
  }

  const rows = (await currentFeatureRows(workspace, project, options.dataUntil)).filter(
    (row) => heldOut.seasons.includes(row.season) && row.date >= heldOut.from && row.date <= heldOut.to,
  );
  const metric = challengerRun.task.primaryMetric as MetricName;
  const higherIsBetter = metricInfo[metric].higherIsBetter;
  const seed = project.spec.seed;
  const scoresOf = (model: LoadedModel, subset: readonly FeatureRow[]) =>
    rowScores(
      metric,
      subset.map((row) => predictProbabilities(model.artifact, row.features)),
      subset.map((row) => row.outcome),
    );
  const championScores = scoresOf(champion, rows);
  const challengerScores = scoresOf(challenger, rows);
  const recorded = challenger.model.metrics[metric]!.value;
  const recomputed = challengerScores.reduce((sum, v) => sum + v, 0) / challengerScores.length;
  if (rows.length !== heldOut.rows || Math.abs(recomputed - recorded) > 1e-9) {
    throw new MlfolioError({
      code: 'E_HELD_OUT_MISMATCH',
      message: `Recomputing the challenger's ${metric} on its held-out period gave ${recomputed} over ${rows.length} matches, but run ${challengerRun.runId} recorded ${recorded} over ${heldOut.rows}.`,
      hint: 'The data or feature code changed between the pipeline run and this comparison; run `mlfolio retrain` again.',
      exitCode: 1,
    });
  }
  const bootstrap = { resamples, seed, level: bootstrapLevel };
  const difference = pairedBootstrapDifference(challengerScores, championScores, bootstrap);
  // "Better" in loss units is negative; flip so that a positive gain is always an improvement.
  const sign = higherIsBetter ? 1 : -1;
  const gainLower = Math.min(sign * difference.lower!, sign * difference.upper!);
  const sameModel =
    champion.ref.runKey === challenger.ref.runKey && champion.ref.modelId === challenger.ref.modelId;
  const promote = !sameModel && gainLower > margin;
  const label = metricInfo[metric].label;
  const fmt = (v: number) => v.toFixed(4);
  const interval = `${fmt(difference.value)} (95% CI ${fmt(difference.lower!)} to ${fmt(difference.upper!)})`;
  const reason = sameModel
    ? `No new data changed the pipeline's result: the challenger is the champion itself (run ${challenger.ref.runId}, ${challenger.ref.modelId}).`
    : promote
      ? `The challenger is better on ${label}: challenger − champion = ${interval} on ${rows.length} held-out matches, and the whole interval shows an improvement larger than the required margin of ${margin}.`
      : `Challenger − champion ${label} is ${interval} on ${rows.length} held-out matches; the interval ${gainLower > 0 ? `does not clear the required margin of ${margin}` : 'includes zero or favours the champion'}, so the data cannot show the challenger is better. The champion stays.`;

  const decidedAt = now();
  const id = recordId(decidedAt);
  const scored = (model: LoadedModel, scores: number[]) => ({
    ...model.ref,
    label: model.model.label,
    score: bootstrapMean(scores, { seed, resamples }),
  });
  const record: DecisionRecord = {
    schemaVersion: 1,
    id,
    project: project.slug,
    decidedAt: decidedAt.toISOString(),
    ...(options.dataUntil === undefined ? {} : { dataUntil: options.dataUntil }),
    metric,
    higherIsBetter,
    heldOut,
    champion: scored(champion, championScores),
    challenger: scored(challenger, challengerScores),
    difference,
    margin,
    bootstrap,
    verdict: promote ? 'promote' : 'keep',
    reason,
    deployed: promote ? challenger.ref : champion.ref,
  };
  const file = join(operationsPaths(workspace, project.slug).decisionsDir, `${id}.json`);
  await writeJsonAtomic(file, record);
  // A champion that was only implicitly deployed (best of the latest run, no promotion yet) is
  // pinned when kept, so that a later `mlfolio run` cannot silently replace it.
  if (promote || champion.deployment === undefined) {
    await appendDeployment(workspace, project.slug, {
      at: decidedAt.toISOString(),
      model: promote ? challenger.ref : champion.ref,
      by: 'retrain',
      decision: id,
      reason,
    });
  }
  return { record, file };
}
