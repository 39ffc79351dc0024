import { bootstrapMean, pairedBootstrapDifference } from '../evaluation/bootstrap.ts';
import { excludesZero } from '../evaluation/evaluate-run.ts';
import { argmax } from '../evaluation/metrics.ts';
import type { Estimate } from '../runs/run-record.ts';

export interface TipPolicy {
  id: string;
  label: string;
  /** The class tipped for each row. */
  tips: readonly number[];
}

export type PolicyValue = {
  id: string;
  label: string;
  /** Total value over all rows, with a row-bootstrap interval. */
  value: Estimate;
  correct: number;
};

export type PolicyGain = {
  policy: string;
  over: string;
  /** Total value of `policy` minus `over`, paired over the same rows. */
  difference: Estimate;
  distinguishable: boolean;
};

/** The status-quo rules a tipster follows without a model. */
export function constantTips(outcome: number, rows: number): number[] {
  return new Array<number>(rows).fill(outcome);
}

/** A model's tips: its most probable class for every row. */
export function modelTips(probabilities: readonly (readonly number[])[]): number[] {
  return probabilities.map(argmax);
}

/**
 * Values a season of tips: each tip earns `value.correct` when right and `value.wrong` when wrong.
 * Totals carry a row-bootstrap interval (mean × rows); gains are paired-bootstrap differences of
 * totals over the same matches, so they account for the policies agreeing on most matches.
 */
export function valueTips(
  policies: readonly TipPolicy[],
  outcomes: readonly number[],
  value: { correct: number; wrong: number },
  gainsOf: readonly { policy: string; over: string }[],
  options: { seed: number; resamples: number },
): { policies: PolicyValue[]; gains: PolicyGain[] } {
  const n = outcomes.length;
  const perRow = new Map(
    policies.map((p) => [p.id, p.tips.map((tip, i) => (tip === outcomes[i] ? value.correct : value.wrong))]),
  );
  const total = (e: Estimate): Estimate => ({
    value: e.value * n,
    ...(e.lower === undefined ? {} : { lower: e.lower * n }),
    ...(e.upper === undefined ? {} : { upper: e.upper * n }),
  });
  return {
    policies: policies.map((p) => ({
      id: p.id,
      label: p.label,
      value: total(bootstrapMean(perRow.get(p.id)!, options)),
      correct: p.tips.filter((tip, i) => tip === outcomes[i]).length,
    })),
    gains: gainsOf.map(({ policy, over }) => {
      const difference = total(pairedBootstrapDifference(perRow.get(policy)!, perRow.get(over)!, options));
      return { policy, over, difference, distinguishable: excludesZero(difference) };
    }),
  };
}
