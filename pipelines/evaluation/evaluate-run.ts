import type { MetricName } from '../../portfolio/project-spec.ts';
import type { FeatureValues, ModelArtifact } from '../models/artifact.ts';
import type { Estimate } from '../runs/run-record.ts';
import { bootstrapMean, pairedBootstrapDifference } from './bootstrap.ts';
import { evaluateModel, type ModelEvaluation } from './evaluate-model.ts';
import { metricInfo, rowScores } from './metrics.ts';

export interface EvaluatedModel {
  id: string;
  baseline: boolean;
  artifact: ModelArtifact;
}

export interface Comparison {
  model: string;
  baseline: string;
  metric: string;
  difference: Estimate;
  distinguishable: boolean;
}

export interface Slice {
  dimension: string;
  value: string;
  rows: number;
  metrics: Record<string, Record<string, Estimate>>;
}

export interface RunEvaluation {
  models: Record<string, ModelEvaluation>;
  /** Test-period class probabilities per model id, reused by the explain and impact stages. */
  probabilities: Record<string, number[][]>;
  best: string;
  bestBaseline: string;
  comparisons: Comparison[];
  slices: Slice[];
}

export interface EvaluationInput {
  models: readonly EvaluatedModel[];
  rows: readonly FeatureValues[];
  outcomes: readonly number[];
  /** Per test row, its value in each slice dimension (league, season). */
  sliceBy: Record<string, readonly string[]>;
  metrics: readonly MetricName[];
  primary: MetricName;
  seed: number;
  resamples: number;
}

/**
 * Scores every model on the test rows with 95% bootstrap intervals; compares each model with the
 * best baseline by a paired bootstrap over the same rows (for every metric); and scores slices.
 * All resampling is seeded, so equal inputs give equal numbers bit for bit.
 */
export function evaluateRun(input: EvaluationInput): RunEvaluation {
  const { seed, resamples, outcomes } = input;
  const models: Record<string, ModelEvaluation> = {};
  const probabilities: Record<string, number[][]> = {};
  for (const model of input.models) {
    const { probabilities: p, ...evaluation } = evaluateModel(
      model.artifact,
      input.rows,
      outcomes,
      input.metrics,
      seed,
      resamples,
    );
    models[model.id] = evaluation;
    probabilities[model.id] = p;
  }
  const better = (a: number, b: number) => (metricInfo[input.primary].higherIsBetter ? a > b : a < b);
  const pick = (candidates: readonly EvaluatedModel[]) =>
    candidates.reduce((best, m) =>
      better(models[m.id]!.metrics[input.primary]!.value, models[best.id]!.metrics[input.primary]!.value)
        ? m
        : best,
    ).id;
  const best = pick(input.models);
  const baselines = input.models.filter((m) => m.baseline);
  const bestBaseline = pick(baselines.length ? baselines : input.models);

  const comparisons: Comparison[] = [];
  for (const model of input.models) {
    if (model.id === bestBaseline) continue;
    for (const metric of input.metrics) {
      const difference = pairedBootstrapDifference(
        rowScores(metric, probabilities[model.id]!, outcomes),
        rowScores(metric, probabilities[bestBaseline]!, outcomes),
        { seed, resamples },
      );
      comparisons.push({
        model: model.id,
        baseline: bestBaseline,
        metric,
        difference,
        distinguishable: excludesZero(difference),
      });
    }
  }

  const slices: Slice[] = [];
  for (const [dimension, labels] of Object.entries(input.sliceBy)) {
    for (const value of [...new Set(labels)].sort()) {
      const members = labels.flatMap((label, i) => (label === value ? [i] : []));
      const sliceOutcomes = members.map((i) => outcomes[i]!);
      slices.push({
        dimension,
        value,
        rows: members.length,
        metrics: Object.fromEntries(
          input.models.map((model) => {
            const p = members.map((i) => probabilities[model.id]![i]!);
            return [
              model.id,
              Object.fromEntries(
                input.metrics.map((metric) => [
                  metric,
                  bootstrapMean(rowScores(metric, p, sliceOutcomes), { seed, resamples }),
                ]),
              ),
            ];
          }),
        ),
      });
    }
  }
  return { models, probabilities, best, bestBaseline, comparisons, slices };
}

/** True when a 95% interval lies entirely on one side of zero. */
export function excludesZero(estimate: Estimate): boolean {
  return (estimate.lower ?? 0) > 0 || (estimate.upper ?? 0) < 0;
}
