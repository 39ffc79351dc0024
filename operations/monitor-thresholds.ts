import type { ProjectFile } from '../portfolio/project-file/schema.ts';
import { psiThresholds } from './drift.ts';

export interface MonitorThresholds {
  /** PSI from which a feature's shift is moderate (the check says "watch"). */
  psiModerate: number;
  /** PSI from which a feature's shift is major (the check says "drifting"). */
  psiMajor: number;
  /** Share of new events served with a stale feature above which the check says "watch". */
  staleShare: number;
}

export const defaultMonitorThresholds: MonitorThresholds = {
  psiModerate: psiThresholds.moderate,
  psiMajor: psiThresholds.major,
  staleShare: 0.1,
};

/** The project file's `monitoring` thresholds over the defaults. */
export function monitorThresholdsOf(spec: ProjectFile): MonitorThresholds {
  return {
    psiModerate: spec.monitoring?.psi?.moderate ?? defaultMonitorThresholds.psiModerate,
    psiMajor: spec.monitoring?.psi?.major ?? defaultMonitorThresholds.psiMajor,
    staleShare: spec.monitoring?.staleShare ?? defaultMonitorThresholds.staleShare,
  };
}
