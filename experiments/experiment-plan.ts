import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MlfolioError } from '../portfolio/errors.ts';
import { parseWith } from '../portfolio/validate.ts';
import type { Experiment } from './experiment-spec.ts';
import { correlation, moments } from './statistics/moments.ts';
import { minimumDetectableEffect, type PowerDesign, power, unitsNeeded } from './statistics/power.ts';

/**
 * One unit of history: the primary metric under the control model (from past runs or the
 * backtest), optionally under the treatment model for the same unit (a paired, shadow-like view)
 * and the pre-assignment covariate.
 */
export const historyRowSchema = z.strictObject({
  at: z.iso.datetime({ offset: true }).or(z.iso.date()).optional(),
  control: z.number(),
  treatment: z.number().optional(),
  covariate: z.number().optional(),
});
export type HistoryRow = z.output<typeof historyRowSchema>;

/** What the plan is computed from. */
export interface PlanInputs {
  variance: number;
  /** Correlation of the metric with the CUPED covariate (0 when none). */
  cupedCorrelation: number;
  /** Correlation of the two models' metric on the same unit (shadow design; 0 when unknown). */
  pairCorrelation: number;
  unitsPerWeek: number | undefined;
  /** Where the figures came from, for the reader. */
  source: string;
}

export interface DesignPlan {
  design: 'ab' | 'paired';
  cuped: boolean;
  /** Power at the declared MDE with the planned units. */
  power: number;
  /** MDE at the planned units and power. */
  minimumDetectableEffect: number;
  /** Units needed (all arms) for the declared MDE at the planned power. */
  unitsNeeded: number;
  weeksNeeded: number | undefined;
}

export interface ExperimentPlan {
  experiment: string;
  plannedUnits: number;
  declaredEffect: number;
  alpha: number;
  targetPower: number;
  inputs: PlanInputs;
  designs: DesignPlan[];
}

/** Estimates the plan's inputs from history rows: variance, correlations, units per week. */
export function planInputsFromHistory(rows: readonly HistoryRow[], source: string): PlanInputs {
  if (rows.length < 10) {
    throw new MlfolioError({
      code: 'E_HISTORY_TOO_SHORT',
      message: `${source} has ${rows.length} unit(s) of history; at least 10 are needed to estimate a variance.`,
      hint: 'Use the backtest of the control model over more seasons, or pass --variance.',
    });
  }
  const control = rows.map((r) => r.control);
  const withCovariate = rows.filter((r) => r.covariate !== undefined);
  const paired = rows.filter((r) => r.treatment !== undefined);
  const dates = rows.flatMap((r) => (r.at ? [Date.parse(r.at)] : [])).sort((a, b) => a - b);
  const weeks = dates.length > 1 ? (dates.at(-1)! - dates[0]!) / (7 * 86_400_000) : 0;
  return {
    variance: moments(control).variance,
    cupedCorrelation:
      withCovariate.length > 2
        ? correlation(
            withCovariate.map((r) => r.control),
            withCovariate.map((r) => r.covariate!),
          )
        : 0,
    pairCorrelation:
      paired.length > 2
        ? correlation(
            paired.map((r) => r.control),
            paired.map((r) => r.treatment!),
          )
        : 0,
    unitsPerWeek: weeks > 0 ? dates.length / weeks : undefined,
    source: `${rows.length} units of history in ${source}`,
  };
}

/** Reads history rows (JSON lines). */
export async function readHistory(path: string): Promise<HistoryRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_HISTORY_MISSING',
        message: `No history file at ${path}.`,
        hint: 'Pass a JSON-lines file of {"control": <metric>} rows, or --variance.',
      },
      { cause: error },
    );
  }
  return text
    .split('\n')
    .flatMap((line, i) =>
      line.trim() === ''
        ? []
        : [parseWith(historyRowSchema, parseJson(line, path, i), `${path}:${i + 1}`, 'E_HISTORY_INVALID')],
    );
}

function parseJson(line: string, path: string, i: number): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_HISTORY_INVALID',
        message: `${path}:${i + 1} is not JSON.`,
        hint: 'Write one JSON object per line.',
      },
      { cause: error },
    );
  }
}

/**
 * Power and MDE of `experiment` for A/B (with and without CUPED) and the paired (shadow) design:
 * at the planned units, and the units (and weeks) the declared MDE needs.
 */
export function planExperiment(experiment: Experiment, inputs: PlanInputs): ExperimentPlan {
  const control = experiment.arms.find((arm) => arm.control)!;
  // With several treatments the plan is for one treatment against control, on their share of traffic.
  const treatment = experiment.arms.find((arm) => !arm.control)!;
  const pairShare = (control.traffic + treatment.traffic) / 100;
  const designs: DesignPlan[] = [];
  for (const design of ['ab', 'paired'] as const) {
    for (const cuped of [false, true]) {
      // Pairing already removes the unit-level variance CUPED would, and the analysis of a shadow
      // experiment is paired without CUPED, so the plan does not promise it.
      if (cuped && (inputs.cupedCorrelation === 0 || design === 'paired')) continue;
      const base: Omit<PowerDesign, 'units'> = {
        variance: inputs.variance,
        alpha: experiment.alpha,
        design,
        controlShare: control.traffic / (control.traffic + treatment.traffic),
        cupedCorrelation: cuped ? inputs.cupedCorrelation : 0,
        pairCorrelation: inputs.pairCorrelation,
      };
      const units = design === 'paired' ? experiment.plannedUnits : experiment.plannedUnits * pairShare;
      const needed = unitsNeeded(base, experiment.minimumDetectableEffect, experiment.power);
      const neededAll = design === 'paired' ? needed : Math.ceil(needed / pairShare);
      designs.push({
        design,
        cuped,
        power: power({ ...base, units }, experiment.minimumDetectableEffect),
        minimumDetectableEffect: minimumDetectableEffect({ ...base, units }, experiment.power),
        unitsNeeded: neededAll,
        weeksNeeded: inputs.unitsPerWeek ? neededAll / inputs.unitsPerWeek : undefined,
      });
    }
  }
  return {
    experiment: experiment.key,
    plannedUnits: experiment.plannedUnits,
    declaredEffect: experiment.minimumDetectableEffect,
    alpha: experiment.alpha,
    targetPower: experiment.power,
    inputs,
    designs,
  };
}
