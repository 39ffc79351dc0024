import type { MetricName } from '../../portfolio/project-spec.ts';
import { type FeatureValues, type ModelArtifact, predictProbabilities } from '../models/artifact.ts';
import type { Estimate } from '../runs/run-record.ts';
import { bootstrapMean } from './bootstrap.ts';
import { rowScores } from './metrics.ts';

export interface ModelEvaluation {
  /** Test-period metrics with 95% bootstrap intervals. */
  metrics: Partial<Record<MetricName, Estimate>>;
  latency: { predictP50Us: number; predictP99Us: number };
  calibration: { bin: number; predicted: number; observed: number; count: number }[];
}

/** Scores a model on test rows through the same forward pass the server and the demo use. */
export function evaluateModel(
  artifact: ModelArtifact,
  rows: readonly FeatureValues[],
  outcomes: readonly number[],
  metrics: readonly MetricName[],
  seed: number,
): ModelEvaluation {
  const probabilities = rows.map((row) => predictProbabilities(artifact, row));
  return {
    metrics: Object.fromEntries(
      metrics.map((name) => [name, bootstrapMean(rowScores(name, probabilities, outcomes), { seed })]),
    ),
    latency: measureLatency(artifact, rows),
    calibration: calibrationBins(probabilities, outcomes, 10),
  };
}

/** Per-prediction latency in microseconds over up to 2,000 single-row calls, after a warm-up. */
function measureLatency(artifact: ModelArtifact, rows: readonly FeatureValues[]) {
  const sample = rows.slice(0, 2000);
  for (const row of sample.slice(0, 200)) predictProbabilities(artifact, row);
  const durations = sample.map((row) => {
    const t0 = process.hrtime.bigint();
    predictProbabilities(artifact, row);
    return Number(process.hrtime.bigint() - t0) / 1000;
  });
  durations.sort((a, b) => a - b);
  const at = (q: number) =>
    Number(durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]!.toFixed(2));
  return { predictP50Us: at(0.5), predictP99Us: at(0.99) };
}

/**
 * One-vs-rest reliability bins over every class probability: within each bin, the mean forecast
 * probability against the observed frequency of that class.
 */
export function calibrationBins(
  probabilities: readonly (readonly number[])[],
  outcomes: readonly number[],
  bins: number,
): { bin: number; predicted: number; observed: number; count: number }[] {
  const sums = Array.from({ length: bins }, () => ({ predicted: 0, observed: 0, count: 0 }));
  probabilities.forEach((forecast, i) => {
    forecast.forEach((p, k) => {
      const bin = Math.min(bins - 1, Math.floor(p * bins));
      sums[bin]!.predicted += p;
      sums[bin]!.observed += k === outcomes[i] ? 1 : 0;
      sums[bin]!.count += 1;
    });
  });
  return sums.flatMap((s, bin) =>
    s.count
      ? [{ bin, predicted: s.predicted / s.count, observed: s.observed / s.count, count: s.count }]
      : [],
  );
}
