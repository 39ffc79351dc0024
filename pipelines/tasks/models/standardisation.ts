/**
 * Per-feature centring and scaling learnt on the training rows and stored in each linear
 * artifact, so a forecast applies exactly the transformation the fit saw (`linearPredictor`).
 */
import { z } from 'zod';
import type { TrainingSet } from '../task.ts';

export const standardisationSchema = z.strictObject({
  mean: z.array(z.number()),
  /** Population standard deviation; 1 for a constant column (which then standardises to 0). */
  std: z.array(z.number().positive()),
});
export type Standardisation = z.output<typeof standardisationSchema>;

/** The training rows standardised, row-major (`x[i·d + j]`), with the standardisation used. */
export interface StandardisedRows {
  x: Float64Array;
  n: number;
  d: number;
  standardisation: Standardisation;
  /** Names of the columns that were constant in training. */
  constant: string[];
}

export function standardiseTrainingSet(data: TrainingSet): StandardisedRows {
  const n = data.rows.length;
  const d = data.featureNames.length;
  // One pass copies the rows into a flat typed array; the rest runs over that array alone.
  const x = new Float64Array(n * d);
  const sum = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = data.rows[i]!;
    for (let j = 0; j < d; j++) {
      const value = row[j]!;
      x[i * d + j] = value;
      sum[j]! += value;
    }
  }
  const mean = Array.from(sum, (s) => s / n);
  const squares = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) squares[j]! += (x[i * d + j]! - mean[j]!) ** 2;
  const constant: string[] = [];
  const std = Array.from(squares, (v, j) => {
    const s = Math.sqrt(v / n);
    // Relative to the column's size, so a large constant column with rounding noise counts as constant.
    if (!(s > 1e-12 * Math.max(1, Math.abs(mean[j]!)))) {
      constant.push(data.featureNames[j]!);
      return 1;
    }
    return s;
  });
  const scale = std.map((s, j) => (constant.includes(data.featureNames[j]!) ? 0 : 1 / s));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) x[i * d + j] = (x[i * d + j]! - mean[j]!) * scale[j]!;
  }
  return { x, n, d, standardisation: { mean, std }, constant };
}
