import type { Forecast } from '../tasks/task.ts';

export const forecastContributionsMethod =
  "Baseline Shapley values: each feature's average marginal effect on the forecast (each class probability, or the predictive mean) as it moves from its training-period mean to its actual value, computed exactly over all 2^d feature coalitions, so the contributions sum exactly to the forecast minus the reference forecast. Features are moved independently, which evaluates the model on combinations that may never occur together.";

/** What a forecast is explained as: each class's probability, or the predictive mean. */
export function forecastOutputs(forecast: Forecast): number[] {
  return forecast.kind === 'probabilities' ? [...forecast.p] : [forecast.mean];
}

export interface ForecastContribution {
  feature: string;
  value: number;
  /** Change in each output (see `forecastOutputs`) attributed to this feature. */
  outputs: number[];
}

export interface ForecastExplanation {
  outputs: number[];
  /** The outputs for the reference row (every feature at its reference value). */
  reference: number[];
  contributions: ForecastContribution[];
}

/**
 * Explains one forecast with exact baseline Shapley values over the model's `featureNames`
 * (`row` and `reference` in that order): 2^d forward passes, so at most 16 features. For any
 * model the contributions sum to `outputs − reference`. Pure and browser-safe.
 */
export function explainForecast(
  forecast: (row: readonly number[]) => Forecast,
  featureNames: readonly string[],
  row: readonly number[],
  reference: readonly number[],
): ForecastExplanation {
  const d = featureNames.length;
  if (d > 16) throw new RangeError(`Expected at most 16 features to explain exactly, but got ${d}.`);
  const coalitions = 1 << d;
  const outputs: number[][] = new Array(coalitions);
  const mixed = [...reference];
  for (let mask = 0; mask < coalitions; mask++) {
    for (let j = 0; j < d; j++) mixed[j] = mask & (1 << j) ? row[j]! : reference[j]!;
    outputs[mask] = forecastOutputs(forecast(mixed));
  }
  const factorial = [1];
  for (let k = 1; k <= d; k++) factorial[k] = factorial[k - 1]! * k;
  // A coalition's weight depends on its size only: one table of d weights and one of sizes, rather
  // than a popcount and three factorial look-ups for each of the d·2^(d−1) terms (same values).
  const weightOfSize = Array.from(
    { length: d },
    (_, size) => (factorial[size]! * factorial[d - size - 1]!) / factorial[d]!,
  );
  const sizes = new Uint8Array(coalitions);
  for (let mask = 1; mask < coalitions; mask++) sizes[mask] = sizes[mask & (mask - 1)]! + 1;
  const width = outputs[0]!.length;
  const contributions = featureNames.map((feature, j) => {
    const bit = 1 << j;
    const total = new Array<number>(width).fill(0);
    for (let mask = 0; mask < coalitions; mask++) {
      if (mask & bit) continue;
      const weight = weightOfSize[sizes[mask]!]!;
      const withFeature = outputs[mask | bit]!;
      const without = outputs[mask]!;
      for (let k = 0; k < width; k++) total[k]! += weight * (withFeature[k]! - without[k]!);
    }
    return { feature, value: row[j]!, outputs: total };
  });
  return { outputs: outputs[coalitions - 1]!, reference: outputs[0]!, contributions };
}
