import { describe, expect, it } from 'vitest';
import {
  bootstrapMean,
  bootstrapStatistic,
  excludesZero,
  pairedBootstrapDifference,
} from '../../pipelines/evaluation/bootstrap.ts';
import {
  calibrationBins,
  calibrationErrorEstimate,
  expectedCalibrationError,
} from '../../pipelines/evaluation/calibration.ts';
import { confusionMatrix } from '../../pipelines/evaluation/confusion.ts';
import { rowScores } from '../../pipelines/evaluation/metrics.ts';
import { fillSeededIndices, seededRandom } from '../../pipelines/random.ts';

describe('proper scores', () => {
  it('scores a forecast by hand-worked RPS, Brier, log loss and accuracy', () => {
    const forecast = [[0.5, 0.3, 0.2]];
    // RPS, outcome draw: cumulative forecast (0.5, 0.8) against (0, 1): (0.25 + 0.04) / 2.
    expect(rowScores('rps', forecast, [1])[0]).toBeCloseTo(0.145, 12);
    // Brier: 0.25 + 0.49 + 0.04.
    expect(rowScores('brier', forecast, [1])[0]).toBeCloseTo(0.78, 12);
    expect(rowScores('log_loss', forecast, [1])[0]).toBeCloseTo(-Math.log(0.3), 12);
    expect(rowScores('accuracy', forecast, [1])[0]).toBe(0);
    expect(rowScores('accuracy', forecast, [0])[0]).toBe(1);
  });
});

describe('bootstrap intervals', () => {
  it('gives a zero-width interval for a constant series and contains the mean otherwise', () => {
    expect(bootstrapMean([2, 2, 2, 2], { seed: 1 })).toEqual({ value: 2, lower: 2, upper: 2 });
    const values = Array.from({ length: 200 }, (_, i) => (i % 4 === 0 ? 1 : 0));
    const estimate = bootstrapMean(values, { seed: 1 });
    expect(estimate.value).toBe(0.25);
    expect(estimate.lower!).toBeLessThan(0.25);
    expect(estimate.upper!).toBeGreaterThan(0.25);
    // Standard error sqrt(0.25·0.75/200) ≈ 0.0306: the 95% half-width is near 1.96 × that.
    expect((estimate.upper! - estimate.lower!) / 2).toBeGreaterThan(0.045);
    expect((estimate.upper! - estimate.lower!) / 2).toBeLessThan(0.075);
  });

  it('pairs rows: a constant shift between two series has a zero-width difference interval', () => {
    const a = [0.1, 0.5, 0.9, 0.3, 0.7];
    const b = a.map((v) => v + 0.2);
    const difference = pairedBootstrapDifference(a, b, { seed: 3 });
    expect(difference.value).toBeCloseTo(-0.2, 12);
    expect(difference.lower).toBeCloseTo(-0.2, 12);
    expect(difference.upper).toBeCloseTo(-0.2, 12);
    expect(excludesZero(difference)).toBe(true);
    expect(excludesZero(pairedBootstrapDifference(a, a, { seed: 3 }))).toBe(false);
  });

  it('bootstraps any statistic with the same resamples as the mean for the same seed', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6];
    const mean = bootstrapMean(values, { seed: 11, resamples: 200 });
    const viaStatistic = bootstrapStatistic(
      values.length,
      (rows) => Array.from(rows).reduce((s, i) => s + values[i]!, 0) / rows.length,
      { seed: 11, resamples: 200 },
    );
    expect(viaStatistic).toEqual(mean);
  });
});

describe('seeded indices', () => {
  it('draws the integers seededRandom gives, in order', () => {
    const random = seededRandom(42);
    const expected = Uint32Array.from({ length: 10_000 }, () => Math.floor(random() * 1425));
    const drawn = new Uint32Array(10_000);
    fillSeededIndices(42, 1425, drawn);
    expect(drawn).toEqual(expected);
  });
});

describe('calibration', () => {
  it('bins one-vs-rest probabilities and computes the expected calibration error by hand', () => {
    // Two matches, forecasts (0.75, 0.25, 0) twice; outcomes home, then away.
    const p = [
      [0.75, 0.25, 0],
      [0.75, 0.25, 0],
    ];
    const bins = calibrationBins(p, [0, 2], 4);
    // Bin 0 holds the 0s (away, twice: observed 1 of 2); bin 1 the 0.25s (draw, never); bin 3 the 0.75s (home, once).
    expect(bins).toEqual([
      { bin: 0, predicted: 0, observed: 0.5, count: 2 },
      { bin: 1, predicted: 0.25, observed: 0, count: 2 },
      { bin: 3, predicted: 0.75, observed: 0.5, count: 2 },
    ]);
    // ECE = (2·0.5 + 2·0.25 + 2·0.25) / 6 = 1/3.
    expect(expectedCalibrationError(bins)).toBeCloseTo(1 / 3, 12);
    const estimate = calibrationErrorEstimate(p, [0, 2], { seed: 1, bins: 4, resamples: 100 });
    expect(estimate.value).toBeCloseTo(1 / 3, 12);
  });

  it('gives the calibration error interval of the per-resample bins exactly, bit for bit', () => {
    const random = seededRandom(11);
    const p = Array.from({ length: 300 }, () => {
      const home = random();
      const draw = random() * (1 - home);
      return [home, draw, 1 - home - draw];
    });
    const outcomes = p.map((_, i) => i % 3);
    const options = { seed: 4, bins: 10, resamples: 200 };
    const byBins = bootstrapStatistic(
      outcomes.length,
      (rows) => expectedCalibrationError(calibrationBins(p, outcomes, 10, rows)),
      options,
    );
    expect(calibrationErrorEstimate(p, outcomes, options)).toEqual(byBins);
  });

  it('counts a confusion matrix with outcomes as rows and predicted classes as columns', () => {
    const p = [
      [0.6, 0.2, 0.2],
      [0.2, 0.2, 0.6],
      [0.4, 0.4, 0.2],
    ];
    expect(confusionMatrix(p, [0, 0, 1], 3)).toEqual([
      [1, 0, 1],
      [1, 0, 0],
      [0, 0, 0],
    ]);
  });
});
