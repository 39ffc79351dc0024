/**
 * The linear predictor and the logistic link every linear model's forecast applies: pure
 * arithmetic, bundled into the in-browser demo (see forecast.ts), so it imports no value at all.
 */
import type { Standardisation } from './standardisation.ts';

/** η = intercept + Σⱼ weightⱼ·(rowⱼ − meanⱼ)/stdⱼ for one raw row. */
export function linearPredictor(
  standardisation: Standardisation,
  weights: readonly number[],
  intercept: number,
  row: readonly number[],
): number {
  let eta = intercept;
  for (let j = 0; j < weights.length; j++) {
    eta += (weights[j]! * (row[j]! - standardisation.mean[j]!)) / standardisation.std[j]!;
  }
  return eta;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** σ(upper) − σ(lower), computed on the side of 0 where it does not cancel. */
export function intervalProbability(lower: number, upper: number): number {
  if (lower > 0) return sigmoid(-lower) - sigmoid(-upper);
  return sigmoid(upper) - sigmoid(lower);
}
