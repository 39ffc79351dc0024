import { describe, expect, test } from 'vitest';
import { calibratedCpuMultiplier } from '../../publish/cpu-calibration.ts';

describe("Lighthouse's CPU slowdown calibration", () => {
  test("follows the Lighthouse calculator's anchors", () => {
    expect(calibratedCpuMultiplier(2000)).toBe(6);
    expect(calibratedCpuMultiplier(1533)).toBe(4);
    expect(calibratedCpuMultiplier(1300)).toBe(3);
    expect(calibratedCpuMultiplier(800)).toBe(2);
    expect(calibratedCpuMultiplier(150)).toBe(1);
  });

  test('interpolates between anchors and never goes below 1×', () => {
    expect(calibratedCpuMultiplier(1050)).toBe(2.5);
    expect(calibratedCpuMultiplier(475)).toBe(1.5);
    expect(calibratedCpuMultiplier(60)).toBe(1);
  });

  test('refuses a benchmark index Lighthouse could not measure', () => {
    expect(() => calibratedCpuMultiplier(Number.NaN)).toThrow(/benchmark index of NaN/);
    expect(() => calibratedCpuMultiplier(0)).toThrow(/cannot calibrate/);
  });
});
