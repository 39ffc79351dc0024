import { describe, expect, it } from 'vitest';
import { bootstrapMean, pairedBootstrapDifference } from '../../pipelines/evaluation/bootstrap.ts';

describe('bootstrap intervals', () => {
  const values = Array.from({ length: 400 }, (_, i) => (i % 4) / 3);

  it('brackets the sample mean, and is identical for the same seed', () => {
    const a = bootstrapMean(values, { seed: 7 });
    const b = bootstrapMean(values, { seed: 7 });
    expect(a).toEqual(b);
    expect(a.value).toBeCloseTo(0.5, 12);
    expect(a.lower!).toBeLessThan(a.value);
    expect(a.upper!).toBeGreaterThan(a.value);
    // The standard error of the mean here is about 0.0186, so a 95% interval spans about ±0.036.
    expect(a.upper! - a.lower!).toBeGreaterThan(0.05);
    expect(a.upper! - a.lower!).toBeLessThan(0.1);
  });

  it('gives a degenerate interval for a constant series', () => {
    expect(bootstrapMean([2, 2, 2], { seed: 1 })).toEqual({ value: 2, lower: 2, upper: 2 });
  });

  it('pairs rows, so a constant shift between two models has a zero-width interval', () => {
    const shifted = values.map((v) => v + 0.1);
    const difference = pairedBootstrapDifference(shifted, values, { seed: 3 });
    expect(difference.value).toBeCloseTo(0.1, 12);
    expect(difference.lower).toBeCloseTo(0.1, 12);
    expect(difference.upper).toBeCloseTo(0.1, 12);
  });
});
