import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { MlfolioError } from '../portfolio/errors.ts';
import { parseWith } from '../portfolio/validate.ts';
import type { Experiment } from './experiment-spec.ts';
import type { Exposure } from './exposure-log.ts';

/** What became of a unit: its observed outcome, and any per-unit metric values measured directly. */
export const outcomeRowSchema = z.strictObject({
  unit: z.string().min(1),
  /** The observed outcome: a class label or a number, scored against each arm's prediction. */
  outcome: z.union([z.string(), z.number()]).optional(),
  /** Metric values measured for the unit (e.g. its decision value), by metric id. */
  values: z.record(z.string(), z.number()).optional(),
  /** Pre-assignment covariates of the unit (for CUPED), by name. */
  covariates: z.record(z.string(), z.number()).optional(),
});
export type OutcomeRow = z.output<typeof outcomeRowSchema>;

/** Scores one arm's prediction against a unit's outcome; `undefined` when it cannot. */
export type MetricScorer = (prediction: unknown, outcome: string | number) => number | undefined;

function probabilities(prediction: unknown): Record<string, number> | undefined {
  const p = (prediction as { probabilities?: unknown } | undefined)?.probabilities;
  return p && typeof p === 'object' ? (p as Record<string, number>) : undefined;
}
function pointValue(prediction: unknown): number | undefined {
  const v = (prediction as { value?: unknown } | undefined)?.value;
  return typeof v === 'number' ? v : typeof prediction === 'number' ? prediction : undefined;
}

/**
 * Proper scores computed from a served prediction and the outcome, for any task: class
 * probabilities (`{ probabilities: { <class>: p } }`) or a point prediction (`{ value }` or a number).
 */
export const predictionScorers: Record<string, MetricScorer> = {
  'log-loss': (prediction, outcome) => {
    const p = probabilities(prediction)?.[String(outcome)];
    return p === undefined ? undefined : -Math.log(Math.max(p, 1e-15));
  },
  brier: (prediction, outcome) => {
    const p = probabilities(prediction);
    if (!p || !(String(outcome) in p)) return undefined;
    return Object.entries(p).reduce((sum, [k, v]) => sum + (v - (k === String(outcome) ? 1 : 0)) ** 2, 0);
  },
  'squared-error': (prediction, outcome) => {
    const v = pointValue(prediction);
    return v === undefined || typeof outcome !== 'number' ? undefined : (v - outcome) ** 2;
  },
  'absolute-error': (prediction, outcome) => {
    const v = pointValue(prediction);
    return v === undefined || typeof outcome !== 'number' ? undefined : Math.abs(v - outcome);
  },
};

/** One unit's metric values under one arm. */
export interface UnitMetrics {
  unit: string;
  arm: string;
  /** Time of the unit's first exposure (its entry into the experiment). */
  firstExposure: string;
  /** Metric values by id (those computable for this unit). */
  values: Record<string, number>;
  /** The CUPED covariate, when declared and recorded (exposure first, then outcome row). */
  covariate?: number;
}

export interface JoinedUnits {
  /** A/B: one row per unit with an outcome. Shadow: one per unit and arm. */
  rows: UnitMetrics[];
  /** Units exposed (served role), per arm. */
  exposedUnits: Record<string, number>;
  /** Units exposed but with no outcome yet. */
  awaitingOutcome: number;
  /** Units served by more than one arm (kept in their first arm: intent to treat). */
  crossovers: number;
}

/** Every metric id an experiment reads, with denominators. */
export function experimentMetricIds(experiment: Experiment): string[] {
  const ids = [
    experiment.primaryMetric,
    ...experiment.secondaryMetrics,
    ...experiment.guardrails.nonInferiority,
  ].flatMap((m) => [m.metric, ...(m.denominator ? [m.denominator] : [])]);
  return [...new Set(ids)];
}

/**
 * Joins exposures with outcomes into per-unit metric rows. A unit enters with its first served
 * exposure; a metric comes from the outcome row's `values` if present, else from a scorer over
 * the arm's prediction and the outcome. Exposures whose arm failed have no prediction and give no
 * row (the error-rate guardrail counts them). Throws `E_NO_OUTCOMES` if no exposed unit has an
 * outcome yet.
 */
export function joinOutcomes(
  experiment: Experiment,
  exposures: readonly Exposure[],
  outcomes: readonly OutcomeRow[],
  scorers: Record<string, MetricScorer> = predictionScorers,
): JoinedUnits {
  const metrics = experimentMetricIds(experiment);
  const byUnit = new Map<string, OutcomeRow>();
  for (const row of outcomes) byUnit.set(row.unit, row);
  const first = new Map<string, Exposure>();
  const armsOf = new Map<string, Set<string>>();
  // Shadow mode: every arm's prediction for the unit, by arm (first of each).
  const scored = new Map<string, Map<string, Exposure>>();
  for (const exposure of exposures) {
    if (exposure.experiment !== experiment.key) continue;
    if (exposure.role === 'served') {
      if (!first.has(exposure.unit)) first.set(exposure.unit, exposure);
      const arms = armsOf.get(exposure.unit) ?? new Set<string>();
      armsOf.set(exposure.unit, arms);
      arms.add(exposure.arm);
    }
    const perArm = scored.get(exposure.unit) ?? new Map<string, Exposure>();
    scored.set(exposure.unit, perArm);
    if (!perArm.has(exposure.arm)) perArm.set(exposure.arm, exposure);
  }
  const exposedUnits: Record<string, number> = Object.fromEntries(experiment.arms.map((a) => [a.model, 0]));
  for (const exposure of first.values()) exposedUnits[exposure.arm] = (exposedUnits[exposure.arm] ?? 0) + 1;
  const rows: UnitMetrics[] = [];
  let awaitingOutcome = 0;
  for (const [unit, entry] of first) {
    const outcome = byUnit.get(unit);
    if (!outcome) {
      awaitingOutcome++;
      continue;
    }
    const armsToScore =
      experiment.mode === 'shadow'
        ? [...scored.get(unit)!.values()]
        : [scored.get(unit)!.get(entry.arm) ?? entry];
    for (const exposure of armsToScore) {
      if (exposure.error !== undefined) continue;
      const values: Record<string, number> = {};
      for (const metric of metrics) {
        const direct = outcome.values?.[metric];
        const scorer = scorers[metric];
        const value =
          direct ??
          (scorer && outcome.outcome !== undefined
            ? scorer(exposure.prediction, outcome.outcome)
            : undefined);
        if (value !== undefined && Number.isFinite(value)) values[metric] = value;
      }
      const name = experiment.cupedCovariate;
      const covariate =
        name === undefined ? undefined : (entry.covariates?.[name] ?? outcome.covariates?.[name]);
      rows.push({
        unit,
        arm: exposure.arm,
        firstExposure: entry.at,
        values,
        ...(covariate === undefined ? {} : { covariate }),
      });
    }
  }
  if (rows.length === 0) {
    throw new MlfolioError({
      code: 'E_NO_OUTCOMES',
      message: `Experiment "${experiment.key}" has ${first.size} exposed unit(s) but no outcome for any of them yet (${outcomes.length} outcome row(s) read).`,
      hint: 'Analyse once outcomes have arrived (after the next scrape or monitor run); the exposure log is kept meanwhile.',
    });
  }
  const crossovers = [...armsOf.values()].filter((arms) => arms.size > 1).length;
  return { rows, exposedUnits, awaitingOutcome, crossovers };
}

/**
 * Reads an outcomes file: JSON lines, one `OutcomeRow` per line. A bad line throws
 * `E_OUTCOMES_INVALID` naming the file, line and field.
 */
export async function readOutcomes(path: string): Promise<OutcomeRow[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_OUTCOMES_MISSING',
        message: `No outcomes file at ${path}.`,
        hint: 'Write the outcomes as JSON lines: {"unit": "...", "outcome": ..., "values": {...}}.',
      },
      { cause: error },
    );
  }
  const rows: OutcomeRow[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch (error) {
      throw new MlfolioError(
        {
          code: 'E_OUTCOMES_INVALID',
          message: `${path}:${i + 1} is not JSON; received ${JSON.stringify(line.slice(0, 120))}.`,
          hint: 'Write one JSON object per line.',
        },
        { cause: error },
      );
    }
    rows.push(parseWith(outcomeRowSchema, data, `${path}:${i + 1}`, 'E_OUTCOMES_INVALID'));
  });
  return rows;
}
