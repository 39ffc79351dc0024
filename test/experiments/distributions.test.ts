import { describe, expect, it } from 'vitest';
import {
  chiSquareSf,
  normalCdf,
  normalQuantile,
  studentTCdf,
  studentTQuantile,
} from '../../experiments/statistics/distributions.ts';
import { sampleRatioTest } from '../../experiments/statistics/sample-ratio.ts';
import golden from './golden/distributions.json' with { type: 'json' };

function close(actual: number, expected: number, relative = 1e-9) {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(
    relative * Math.max(Math.abs(expected), 1e-300) + 1e-15,
  );
}

describe('distribution functions match scipy', () => {
  it.each(golden.normalCdf)('Φ($z)', ({ z, value }) => close(normalCdf(z), value));
  it.each(golden.normalQuantile)('Φ⁻¹($p)', ({ p, value }) => close(normalQuantile(p), value));
  it.each(golden.tCdf)('t CDF($t; df $df)', ({ t, df, value }) => close(studentTCdf(t, df), value, 1e-8));
  it.each(golden.tQuantile)('t quantile($p; df $df)', ({ p, df, value }) =>
    close(studentTQuantile(p, df), value, 1e-9),
  );
  it.each(golden.chiSquareSf)('χ² sf($x; df $df)', ({ x, df, value }) =>
    close(chiSquareSf(x, df), value, 1e-9),
  );
  it.each(golden.srm)('SRM χ² of $observed against $percent', ({ observed, percent, chiSquare, pValue }) => {
    const arms = observed.map((_, i) => `arm${i}`);
    const result = sampleRatioTest(
      Object.fromEntries(arms.map((arm, i) => [arm, observed[i]!])),
      Object.fromEntries(arms.map((arm, i) => [arm, percent[i]!])),
    );
    close(result.chiSquare, chiSquare);
    close(result.pValue, pValue);
    expect(result.mismatch).toBe(pValue < 0.001);
  });
});
