import type { Experiment } from './experiment-spec.ts';
import type { ExposureLogContents } from './exposure-log.ts';
import { type SampleRatioTest, sampleRatioTest } from './statistics/sample-ratio.ts';

/** Where a running experiment stands, from its exposure log alone (no outcomes needed). */
export interface ExperimentStatus {
  experiment: string;
  mode: Experiment['mode'];
  /** Distinct units served by each arm. */
  units: Record<string, number>;
  /** Units entering per UTC day. */
  unitsPerDay: { day: string; units: number }[];
  /** Failed predictions per arm (every exposure, shadow ones included). */
  errors: Record<string, { failed: number; predictions: number }>;
  /** Share of the planned units reached. */
  progress: number;
  sampleRatio: SampleRatioTest;
  tornLastLine: boolean;
}

export function experimentStatus(experiment: Experiment, log: ExposureLogContents): ExperimentStatus {
  const firstArm = new Map<string, { arm: string; day: string }>();
  const errors: ExperimentStatus['errors'] = Object.fromEntries(
    experiment.arms.map((arm) => [arm.model, { failed: 0, predictions: 0 }]),
  );
  for (const exposure of log.exposures) {
    if (exposure.experiment !== experiment.key) continue;
    const counts = errors[exposure.arm] ?? { failed: 0, predictions: 0 };
    errors[exposure.arm] = counts;
    counts.predictions++;
    if (exposure.error !== undefined) counts.failed++;
    if (exposure.role === 'served' && !firstArm.has(exposure.unit)) {
      firstArm.set(exposure.unit, { arm: exposure.arm, day: exposure.at.slice(0, 10) });
    }
  }
  const units: Record<string, number> = Object.fromEntries(experiment.arms.map((arm) => [arm.model, 0]));
  const perDay = new Map<string, number>();
  for (const { arm, day } of firstArm.values()) {
    units[arm] = (units[arm] ?? 0) + 1;
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
  }
  const control = experiment.arms.find((arm) => arm.control)!.model;
  const sampleRatio =
    experiment.mode === 'shadow'
      ? sampleRatioTest({ [control]: firstArm.size }, { [control]: 100 })
      : sampleRatioTest(units, Object.fromEntries(experiment.arms.map((arm) => [arm.model, arm.traffic])));
  return {
    experiment: experiment.key,
    mode: experiment.mode,
    units,
    unitsPerDay: [...perDay].sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, units: n })),
    errors,
    progress: firstArm.size / experiment.plannedUnits,
    sampleRatio,
    tornLastLine: log.tornLastLine,
  };
}
