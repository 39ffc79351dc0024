/**
 * Lighthouse's CPU slowdown for the machine it runs on. Its simulated throttling multiplies the
 * main-thread time it observes by `cpuSlowdownMultiplier` (4 by default), a figure chosen to bring a
 * high-end desktop (benchmark index about 1,500) down to a mid-tier phone. On a slower host the
 * same 4× overshoots, and Lighthouse says so in a run warning ("The tested device appears to have a
 * slower CPU than Lighthouse expects") below a benchmark index of 1,000. Its docs
 * (docs/throttling.md, "Calibrating the CPU slowdown") ask for a calibrated multiplier then, and
 * link the Lighthouse team's calculator, whose piecewise-linear mapping this reproduces.
 */
export const lighthouseDefaultMultiplier = 4;

/** The slowdown that brings a host with this benchmark index to Lighthouse's mid-tier phone. */
export function calibratedCpuMultiplier(benchmarkIndex: number): number {
  if (!Number.isFinite(benchmarkIndex) || benchmarkIndex <= 0) {
    throw new RangeError(`Lighthouse reported a benchmark index of ${benchmarkIndex}; cannot calibrate.`);
  }
  // The calculator's anchors: 2,000 → 6×, 1,533 → 4×, 1,300 → 3×, 800 → 2×, 150 → 1×.
  const multiplier =
    benchmarkIndex >= 1300
      ? 3 + (benchmarkIndex - 1300) / 233
      : benchmarkIndex >= 800
        ? 2 + (benchmarkIndex - 800) / 500
        : 1 + (Math.max(benchmarkIndex, 150) - 150) / 650;
  return Math.round(multiplier * 10) / 10;
}
