import type { MetricName } from '../../portfolio/project-spec.ts';
import { type FeatureValues, type ModelArtifact, predictProbabilities } from '../models/artifact.ts';
import type { Estimate } from '../runs/run-record.ts';
import { bootstrapMean } from './bootstrap.ts';
import { type CalibrationBin, calibrationBins, calibrationErrorEstimate } from './calibration.ts';
import { confusionMatrix } from './confusion.ts';
import { rowScores } from './metrics.ts';

export { calibrationBins } from './calibration.ts';

export interface ModelEvaluation {
  /** Test-period metrics with 95% bootstrap intervals. */
  metrics: Partial<Record<MetricName, Estimate>>;
  latency: { predictP50Us: number; predictP99Us: number };
  calibration: CalibrationBin[];
  calibrationError: Estimate;
  /** counts[outcome][predicted]. */
  confusion: number[][];
}

/** Scores a model on test rows through the same forward pass the server and the demo use. */
export function evaluateModel(
  artifact: ModelArtifact,
  rows: readonly FeatureValues[],
  outcomes: readonly number[],
  metrics: readonly MetricName[],
  seed: number,
  resamples = 1000,
): ModelEvaluation & { probabilities: number[][] } {
  const probabilities = rows.map((row) => predictProbabilities(artifact, row));
  return {
    probabilities,
    metrics: Object.fromEntries(
      metrics.map((name) => [
        name,
        bootstrapMean(rowScores(name, probabilities, outcomes), { seed, resamples }),
      ]),
    ),
    latency: measureLatency(artifact, rows),
    calibration: calibrationBins(probabilities, outcomes, 10),
    calibrationError: calibrationErrorEstimate(probabilities, outcomes, { seed, resamples }),
    confusion: confusionMatrix(probabilities, outcomes, 3),
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
