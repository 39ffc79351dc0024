import type { ImpactSpec, StatusQuoPolicy } from '../../portfolio/project-spec.ts';
import {
  constantTips,
  modelTips,
  type PolicyGain,
  type PolicyValue,
  type TipPolicy,
  valueTips,
} from './tipping.ts';

export type TippingImpact = {
  decision: string;
  unit: string;
  statusQuo: string;
  /** The policy whose gains are the headline: tips of the best candidate model. */
  policy: string;
  valueFunction: { correct: number; wrong: number };
  rows: number;
  policies: PolicyValue[];
  gains: PolicyGain[];
  headline: string;
  retrospective: boolean;
  /** Why no betting policy was simulated, when the data carry no bookmaker odds. */
  bettingUnavailable?: string;
};

const statusQuoRules: Record<StatusQuoPolicy, { outcome: number; label: string; phrase: string }> = {
  'always-home': { outcome: 0, label: 'Always tip the home side', phrase: 'always tipping the home side' },
  'always-draw': { outcome: 1, label: 'Always tip a draw', phrase: 'always tipping a draw' },
  'always-away': { outcome: 2, label: 'Always tip the away side', phrase: 'always tipping the away side' },
};

/**
 * The value of a season of tips in the decision's units: the status-quo rule, and each model's
 * picks. Gains of the chosen model's tips over the status quo and over each `compareWith` model,
 * with paired intervals; the headline states them in points first.
 */
export function tippingImpact(input: {
  spec: ImpactSpec;
  models: readonly { id: string; label: string }[];
  probabilities: Readonly<Record<string, readonly (readonly number[])[]>>;
  outcomes: readonly number[];
  policyModel: string;
  period: string;
  seed: number;
  resamples: number;
}): TippingImpact {
  const { spec, outcomes } = input;
  const rule = statusQuoRules[spec.statusQuo];
  const policies: TipPolicy[] = [
    { id: spec.statusQuo, label: rule.label, tips: constantTips(rule.outcome, outcomes.length) },
    ...input.models.map((m) => ({
      id: m.id,
      label: `Tip ${m.label}'s most likely result`,
      tips: modelTips(input.probabilities[m.id]!),
    })),
  ];
  const over = [spec.statusQuo, ...spec.compareWith.filter((id) => id !== input.policyModel)];
  const valued = valueTips(
    policies,
    outcomes,
    spec.value,
    over.map((o) => ({ policy: input.policyModel, over: o })),
    { seed: input.seed, resamples: input.resamples },
  );
  const label = input.models.find((m) => m.id === input.policyModel)?.label ?? input.policyModel;
  const mine = valued.policies.find((p) => p.id === input.policyModel)!;
  const phrase = (gain: PolicyGain) => {
    const other = input.models.find((m) => m.id === gain.over)?.label ?? gain.over;
    const name = gain.over === spec.statusQuo ? rule.phrase : `tipping with ${other}`;
    const verdict = gain.distinguishable ? '' : ', not distinguishable from zero';
    return `${signed(gain.difference.value)} ${spec.unit} over ${name} (95% CI ${signed(gain.difference.lower ?? 0)} to ${signed(gain.difference.upper ?? 0)}${verdict})`;
  };
  return {
    decision: spec.decision,
    unit: spec.unit,
    statusQuo: spec.statusQuo,
    policy: input.policyModel,
    valueFunction: spec.value,
    rows: outcomes.length,
    policies: valued.policies,
    gains: valued.gains,
    headline: `Tipping with ${label} over ${input.period} (${outcomes.length} matches) earns ${round(mine.value.value)} ${spec.unit}: ${valued.gains.map(phrase).join('; ')}.`,
    retrospective: false,
  };
}

function round(value: number): string {
  const whole = Math.round(value);
  return Math.abs(value - whole) < 1e-6 ? String(whole) : value.toFixed(1);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : '−'}${round(Math.abs(value))}`;
}
