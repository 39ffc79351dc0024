import { describe, expect, it } from 'vitest';
import { accuracy, brier, logLoss, rankedProbabilityScore } from '../../pipelines/evaluation/metrics.ts';

// Two forecasts over (home win, draw, away win), worked out by hand:
//   row 1: [0.5, 0.3, 0.2], home win happened; row 2: [0.2, 0.3, 0.5], draw happened.
const forecasts = [
  [0.5, 0.3, 0.2],
  [0.2, 0.3, 0.5],
];
const outcomes = [0, 1];

describe('metrics against values worked out by hand', () => {
  it('accuracy counts the rows whose most probable class happened', () => {
    // Row 1 picks H (right), row 2 picks A (wrong).
    expect(accuracy(forecasts, outcomes)).toBe(0.5);
  });

  it('log loss is the mean negative log probability of the outcome', () => {
    // (−ln 0.5 − ln 0.3) / 2 = (0.693147 + 1.203973) / 2
    expect(logLoss(forecasts, outcomes)).toBeCloseTo(0.94856, 5);
  });

  it('log loss stays finite when the outcome was given probability zero', () => {
    expect(logLoss([[1, 0, 0]], [2])).toBeCloseTo(-Math.log(1e-15), 6);
  });

  it('Brier sums squared errors over classes and averages over rows', () => {
    // Row 1: 0.25 + 0.09 + 0.04 = 0.38; row 2: 0.04 + 0.49 + 0.25 = 0.78.
    expect(brier(forecasts, outcomes)).toBeCloseTo(0.58, 12);
  });

  it('RPS compares cumulative forecasts with cumulative outcomes', () => {
    // Row 1: cumulative (0.5, 0.8) vs (1, 1) → (0.25 + 0.04) / 2 = 0.145.
    // Row 2: cumulative (0.2, 0.5) vs (0, 1) → (0.04 + 0.25) / 2 = 0.145.
    expect(rankedProbabilityScore(forecasts, outcomes)).toBeCloseTo(0.145, 12);
  });

  it('RPS punishes a confident miss two classes away more than one class away', () => {
    expect(rankedProbabilityScore([[1, 0, 0]], [2])).toBe(1);
    expect(rankedProbabilityScore([[1, 0, 0]], [1])).toBe(0.5);
    expect(rankedProbabilityScore([[0, 0, 1]], [2])).toBe(0);
  });

  it('refuses to score an empty test set instead of returning NaN', () => {
    expect(() => rankedProbabilityScore([], [])).toThrow(/at least one row/);
  });
});
