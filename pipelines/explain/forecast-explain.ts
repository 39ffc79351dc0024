import { bootstrapMean } from '../evaluation/bootstrap.ts';
import { seededRandom, shuffledIndices } from '../random.ts';
import type { Estimate } from '../runs/run-record.ts';
import type { Forecast } from '../tasks/task.ts';

/** One model as the explainers see it: rows in, forecasts out, through the pure forward pass. */
export type ForecastFn = (row: readonly number[]) => Forecast;

export interface FeatureImportance {
  feature: string;
  /** How much worse the metric gets when the feature's test values are shuffled (positive = it helps). */
  increase: Estimate;
}

/**
 * Permutation importance for any task: shuffle one feature's column across the test rows
 * (breaking its link with the outcome, keeping its distribution), rescore each row with the
 * task's per-row `score` (lower is better), and average the worsening over `repeats` seeded
 * shuffles; the interval is a row bootstrap of that mean. Largest first.
 */
export function permutationImportance(
  forecast: ForecastFn,
  rows: readonly (readonly number[])[],
  outcomes: readonly number[],
  featureNames: readonly string[],
  score: (forecast: Forecast, outcome: number) => number,
  options: { repeats: number; seed: number; resamples: number },
): FeatureImportance[] {
  const base = rows.map((row, i) => score(forecast(row), outcomes[i]!));
  const random = seededRandom(options.seed);
  const copy = rows.map((row) => [...row]);
  const result = featureNames.map((feature, j) => {
    const worsening = new Float64Array(rows.length);
    for (let r = 0; r < options.repeats; r++) {
      const order = shuffledIndices(rows.length, random);
      for (let i = 0; i < rows.length; i++) {
        const row = copy[i]!;
        row[j] = rows[order[i]!]![j]!;
        worsening[i]! += (score(forecast(row), outcomes[i]!) - base[i]!) / options.repeats;
        row[j] = rows[i]![j]!;
      }
    }
    return {
      feature,
      increase: bootstrapMean(Array.from(worsening), { seed: options.seed, resamples: options.resamples }),
    };
  });
  return result.sort((a, b) => b.increase.value - a.increase.value || a.feature.localeCompare(b.feature));
}

export interface PartialDependenceCurve {
  feature: string;
  /** What `values` are: a class's probability, or the forecast mean. */
  output: string;
  grid: number[];
  values: number[];
}

/**
 * Partial dependence: the mean forecast over the test rows with one feature set to each grid value
 * (deciles of its test values). For classification the curve follows the probability of `classIndex`;
 * otherwise the forecast's mean.
 */
export function partialDependence(
  forecast: ForecastFn,
  rows: readonly (readonly number[])[],
  featureNames: readonly string[],
  feature: string,
  output: { label: string; classIndex?: number },
  gridSize = 10,
): PartialDependenceCurve {
  const j = featureNames.indexOf(feature);
  if (j < 0) throw new RangeError(`Expected a feature of the model, but got "${feature}".`);
  const sorted = rows.map((row) => row[j]!).sort((a, b) => a - b);
  const grid = [
    ...new Set(
      Array.from(
        { length: gridSize },
        (_, g) => sorted[Math.round((g / (gridSize - 1)) * (sorted.length - 1))]!,
      ),
    ),
  ];
  // At most 500 rows per grid point keeps this cheap on long histories; rows are taken evenly.
  const step = Math.max(1, Math.floor(rows.length / 500));
  const sample = rows.filter((_, i) => i % step === 0);
  const values = grid.map((value) => {
    let sum = 0;
    for (const row of sample) {
      const copy = [...row];
      copy[j] = value;
      sum += pointOf(forecast(copy), output.classIndex);
    }
    return sum / sample.length;
  });
  return { feature, output: output.label, grid, values };
}

/** The number a forecast is drawn as: a class's probability, or the predictive mean. */
export function pointOf(forecast: Forecast, classIndex = 0): number {
  return forecast.kind === 'probabilities' ? forecast.p[classIndex]! : forecast.mean;
}
