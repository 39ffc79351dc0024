import { chiSquareSf } from './distributions.ts';

/** The p-value below which a sample-ratio mismatch blocks the verdict (as GrowthBook and ExP use). */
export const srmThreshold = 0.001;

export interface SampleRatioTest {
  /** Units per arm, as observed. */
  observed: Record<string, number>;
  /** Units per arm the planned split expects for the same total. */
  expected: Record<string, number>;
  chiSquare: number;
  degreesOfFreedom: number;
  pValue: number;
  /** Whether p < 0.001: the assignment or the logging is broken and no verdict may be drawn. */
  mismatch: boolean;
}

/**
 * Pearson's χ² goodness-of-fit test of observed units per arm against the planned split
 * (`plannedPercent`, per arm, summing to 100). Arms with no unit count as 0.
 */
export function sampleRatioTest(
  observed: Record<string, number>,
  plannedPercent: Record<string, number>,
): SampleRatioTest {
  const arms = Object.keys(plannedPercent);
  const total = arms.reduce((sum, arm) => sum + (observed[arm] ?? 0), 0);
  const share = arms.reduce((sum, arm) => sum + plannedPercent[arm]!, 0);
  let chiSquare = 0;
  const expected: Record<string, number> = {};
  const counts: Record<string, number> = {};
  for (const arm of arms) {
    const e = (total * plannedPercent[arm]!) / share;
    const o = observed[arm] ?? 0;
    expected[arm] = e;
    counts[arm] = o;
    if (e > 0) chiSquare += ((o - e) * (o - e)) / e;
  }
  const degreesOfFreedom = arms.length - 1;
  const pValue = total === 0 ? 1 : chiSquareSf(chiSquare, degreesOfFreedom);
  return { observed: counts, expected, chiSquare, degreesOfFreedom, pValue, mismatch: pValue < srmThreshold };
}
