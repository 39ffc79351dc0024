import { studentTQuantile, studentTTwoSided } from './distributions.ts';
import { type Moments, moments } from './moments.ts';

/** A treatment − control difference with its interval and two-sided test of "no difference". */
export interface Difference {
  control: Moments;
  treatment: Moments;
  /** treatment − control. */
  difference: number;
  /** Difference relative to the control mean (NaN when the control mean is 0). */
  relative: number;
  standardError: number;
  /** Welch–Satterthwaite degrees of freedom (Infinity for normal-theory estimates). */
  degreesOfFreedom: number;
  /** (1 − α) two-sided confidence interval of the difference. */
  interval: [number, number];
  statistic: number;
  pValue: number;
}

/** Welch's unequal-variance t test and interval for mean(treatment) − mean(control). */
export function welchDifference(
  control: readonly number[],
  treatment: readonly number[],
  alpha = 0.05,
): Difference {
  return welchFromMoments(moments(control), moments(treatment), alpha);
}

/** Welch's test from summary statistics. Needs at least two units per arm. */
export function welchFromMoments(control: Moments, treatment: Moments, alpha = 0.05): Difference {
  const vc = control.variance / control.n;
  const vt = treatment.variance / treatment.n;
  const standardError = Math.sqrt(vc + vt);
  const degreesOfFreedom =
    ((vc + vt) * (vc + vt)) / ((vc * vc) / (control.n - 1) + (vt * vt) / (treatment.n - 1));
  const difference = treatment.mean - control.mean;
  const statistic = difference / standardError;
  const half = studentTQuantile(1 - alpha / 2, degreesOfFreedom) * standardError;
  return {
    control,
    treatment,
    difference,
    relative: control.mean === 0 ? Number.NaN : difference / control.mean,
    standardError,
    degreesOfFreedom,
    interval: [difference - half, difference + half],
    statistic,
    pValue: studentTTwoSided(statistic, degreesOfFreedom),
  };
}

/** Paired test (shadow mode: every unit scored by both arms): one-sample t on per-unit differences. */
export function pairedDifference(
  control: readonly number[],
  treatment: readonly number[],
  alpha = 0.05,
): Difference {
  const differences = treatment.map((t, i) => t - control[i]!);
  const d = moments(differences);
  const standardError = Math.sqrt(d.variance / d.n);
  const degreesOfFreedom = d.n - 1;
  const statistic = d.mean / standardError;
  const half = studentTQuantile(1 - alpha / 2, degreesOfFreedom) * standardError;
  const c = moments(control);
  return {
    control: c,
    treatment: moments(treatment),
    difference: d.mean,
    relative: c.mean === 0 ? Number.NaN : d.mean / c.mean,
    standardError,
    degreesOfFreedom,
    interval: [d.mean - half, d.mean + half],
    statistic,
    pValue: studentTTwoSided(statistic, degreesOfFreedom),
  };
}
