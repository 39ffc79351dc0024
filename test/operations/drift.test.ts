import { describe, expect, test } from 'vitest';
import { featureDrift, kolmogorovSmirnov, populationStabilityIndex } from '../../operations/drift.ts';
import { independentBootstrapDifference } from '../../operations/independent-bootstrap.ts';
import { seededRandom } from '../../pipelines/random.ts';

const normal = (n: number, mean: number, seed: number) => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const u = 1 - random();
    return mean + Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  });
};

describe('population stability index', () => {
  test('is zero for a sample against itself', () => {
    const sample = normal(1000, 0, 1);
    expect(populationStabilityIndex(sample, sample)).toBe(0);
  });

  test('is small for two samples of one distribution and large for a shifted one', () => {
    const reference = normal(4000, 0, 1);
    expect(populationStabilityIndex(reference, normal(2000, 0, 2))).toBeLessThan(0.1);
    expect(populationStabilityIndex(reference, normal(2000, 1, 3))).toBeGreaterThan(0.25);
  });

  test('copes with a capped, mostly constant feature (rest days) by merging tied cut points', () => {
    const reference = [...Array(900).fill(14), ...Array(100).fill(3)];
    const current = [...Array(500).fill(14), ...Array(500).fill(3)];
    const psi = populationStabilityIndex(reference, current);
    // Two bins: (0.9 → 0.5) and (0.1 → 0.5).
    expect(psi).toBeCloseTo((0.5 - 0.9) * Math.log(0.5 / 0.9) + (0.5 - 0.1) * Math.log(0.5 / 0.1), 12);
  });
});

describe('Kolmogorov–Smirnov', () => {
  test('the statistic is the largest gap between the empirical CDFs', () => {
    expect(kolmogorovSmirnov([1, 2, 3, 4], [3, 4, 5, 6]).statistic).toBe(0.5);
    expect(kolmogorovSmirnov([1, 2], [1, 2]).statistic).toBe(0);
  });

  test('the p-value is near 1 for one distribution and tiny for a shift', () => {
    expect(kolmogorovSmirnov(normal(2000, 0, 4), normal(2000, 0, 5)).pValue).toBeGreaterThan(0.05);
    expect(kolmogorovSmirnov(normal(2000, 0, 4), normal(2000, 0.5, 5)).pValue).toBeLessThan(1e-6);
  });

  test('featureDrift names the level from the PSI thresholds', () => {
    expect(featureDrift('x', normal(2000, 0, 6), normal(2000, 2, 7)).level).toBe('major');
    expect(featureDrift('x', normal(2000, 0, 6), normal(2000, 0, 8)).level).toBe('stable');
  });
});

describe('independent bootstrap difference', () => {
  test('is seeded, centred on the difference of means, and excludes zero for a clear gap', () => {
    const a = normal(500, 1, 9);
    const b = normal(500, 0, 10);
    const first = independentBootstrapDifference(a, b, { seed: 42 });
    expect(independentBootstrapDifference(a, b, { seed: 42 })).toEqual(first);
    expect(first.lower!).toBeGreaterThan(0);
    expect(first.lower!).toBeLessThan(first.value);
    expect(first.upper!).toBeGreaterThan(first.value);
  });
});
