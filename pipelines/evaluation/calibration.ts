import type { Estimate } from '../runs/run-record.ts';
import { type BootstrapOptions, bootstrapStatistic } from './bootstrap.ts';
import type { Probabilities } from './metrics.ts';

export interface CalibrationBin {
  bin: number;
  predicted: number;
  observed: number;
  count: number;
}

/**
 * One-vs-rest reliability bins over every class probability: within each of `bins` equal-width
 * bins, the mean forecast probability against the observed frequency of that class. `rows`
 * selects (with repetition) the rows to use; default all.
 */
export function calibrationBins(
  probabilities: Probabilities,
  outcomes: readonly number[],
  bins = 10,
  rows?: ArrayLike<number>,
): CalibrationBin[] {
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  const count = new Uint32Array(bins);
  const n = rows ? rows.length : outcomes.length;
  for (let r = 0; r < n; r++) {
    const i = rows ? rows[r]! : r;
    const forecast = probabilities[i]!;
    for (let k = 0; k < forecast.length; k++) {
      const p = forecast[k]!;
      const bin = Math.min(bins - 1, Math.floor(p * bins));
      predicted[bin]! += p;
      observed[bin]! += k === outcomes[i] ? 1 : 0;
      count[bin]!++;
    }
  }
  const result: CalibrationBin[] = [];
  for (let bin = 0; bin < bins; bin++) {
    const c = count[bin]!;
    if (c) result.push({ bin, predicted: predicted[bin]! / c, observed: observed[bin]! / c, count: c });
  }
  return result;
}

/**
 * Expected calibration error: the count-weighted mean gap |forecast − observed frequency| over
 * the reliability bins (one-vs-rest over every class probability). 0 is perfectly calibrated.
 */
export function expectedCalibrationError(bins: readonly CalibrationBin[]): number {
  const total = bins.reduce((sum, b) => sum + b.count, 0);
  return bins.reduce((sum, b) => sum + (b.count / total) * Math.abs(b.predicted - b.observed), 0);
}

/** ECE with a row-bootstrap interval. The binned ECE is biased upwards on small samples. */
export function calibrationErrorEstimate(
  probabilities: Probabilities,
  outcomes: readonly number[],
  options: BootstrapOptions & { bins?: number },
): Estimate {
  const bins = options.bins ?? 10;
  return bootstrapStatistic(
    outcomes.length,
    resampledCalibrationError(probabilities, outcomes, bins),
    options,
  );
}

/**
 * `expectedCalibrationError(calibrationBins(probabilities, outcomes, bins, rows))` for any `rows`,
 * bit for bit (the same additions in the same order), with each probability's bin and hit found
 * once instead of once per resample, and no bin objects per call.
 */
function resampledCalibrationError(
  probabilities: Probabilities,
  outcomes: readonly number[],
  bins: number,
): (rows: ArrayLike<number>) => number {
  const slow = (rows: ArrayLike<number>) =>
    expectedCalibrationError(calibrationBins(probabilities, outcomes, bins, rows));
  const n = outcomes.length;
  // Row i's probabilities are entries start[i] … start[i + 1] − 1.
  const start = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + probabilities[i]!.length;
  const value = new Float64Array(start[n]!);
  const binOf = new Uint32Array(start[n]!);
  const hit = new Uint8Array(start[n]!);
  for (let i = 0; i < n; i++) {
    const forecast = probabilities[i]!;
    for (let k = 0; k < forecast.length; k++) {
      const p = forecast[k]!;
      // A probability outside [0, 1] (or NaN) has no bin here: keep calibrationBins' own handling.
      if (!(p >= 0 && p <= 1)) return slow;
      const e = start[i]! + k;
      value[e] = p;
      binOf[e] = Math.min(bins - 1, Math.floor(p * bins));
      hit[e] = k === outcomes[i] ? 1 : 0;
    }
  }
  const predicted = new Float64Array(bins);
  const observed = new Float64Array(bins);
  const count = new Uint32Array(bins);
  return (rows) => {
    predicted.fill(0);
    observed.fill(0);
    count.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      for (let e = start[i]!; e < start[i + 1]!; e++) {
        const bin = binOf[e]!;
        predicted[bin]! += value[e]!;
        observed[bin]! += hit[e]!;
        count[bin]!++;
      }
    }
    // As expectedCalibrationError over calibrationBins' non-empty bins, in bin order.
    let total = 0;
    for (let bin = 0; bin < bins; bin++) total += count[bin]!;
    let error = 0;
    for (let bin = 0; bin < bins; bin++) {
      const c = count[bin]!;
      if (c) error += (c / total) * Math.abs(predicted[bin]! / c - observed[bin]! / c);
    }
    return error;
  };
}
