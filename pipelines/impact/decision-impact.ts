import type { ImpactSpec } from '../../portfolio/project-file/question-spec.ts';
import { bootstrapMean, pairedBootstrapDifference } from '../evaluation/bootstrap.ts';
import type { Estimate } from '../runs/run-record.ts';
import type { Forecast } from '../tasks/task.ts';

export interface PolicyValue {
  id: string;
  label: string;
  /** Mean value per row, with its 95% interval. */
  perRow: Estimate;
  /** Value over the whole test period. */
  total: number;
}

export interface PolicyGain {
  policy: string;
  over: string;
  /** Total gain over the test period, with its paired 95% interval. */
  difference: Estimate;
  distinguishable: boolean;
}

export interface DecisionImpact {
  decision: string;
  unit: string;
  rule: ImpactSpec['rule'];
  statusQuo: string;
  policy: string;
  rows: number;
  policies: PolicyValue[];
  gains: PolicyGain[];
  headline: string;
}

/**
 * Values each model's decisions over the test rows with the project's declared rule, in the
 * decision's own units, and the chosen model's gain over the status quo and each `compareWith`
 * model with paired bootstrap intervals (totals over the period). Works for every task: `pick`
 * and `threshold` read class probabilities, `estimate` and `top-k` the forecast's mean.
 */
export function decisionImpact(input: {
  spec: ImpactSpec;
  models: readonly { id: string; label: string }[];
  forecasts: Readonly<Record<string, readonly Forecast[]>>;
  outcomes: readonly number[];
  /** Class labels (classification), to read a fixed status-quo decision such as "always H". */
  classes?: readonly string[];
  /** Per-row period (season) for `top-k`, which picks within each period. */
  periods: readonly string[];
  policyModel: string;
  period: string;
  seed: number;
  resamples: number;
}): DecisionImpact {
  const { spec, outcomes } = input;
  const n = outcomes.length;
  const statusQuoId = 'model' in spec.statusQuo ? spec.statusQuo.model : 'status-quo';
  const forecasts: Record<string, readonly Forecast[]> = { ...input.forecasts };
  if ('always' in spec.statusQuo) {
    forecasts[statusQuoId] = outcomes.map(() =>
      fixedDecision(spec.statusQuo as { always: string | number }, input.classes),
    );
  }
  const decisionValues = (id: string) => rowValues(spec.rule, forecasts[id]!, outcomes, input.periods);
  const ids = [...new Set([statusQuoId, input.policyModel, ...spec.compareWith])];
  const labelOf = (id: string) => input.models.find((m) => m.id === id)?.label ?? id;
  const values = new Map(ids.map((id) => [id, decisionValues(id)]));
  const options = { seed: input.seed, resamples: input.resamples };
  const scale = (e: Estimate, k: number): Estimate => ({
    value: e.value * k,
    ...(e.lower !== undefined ? { lower: e.lower * k } : {}),
    ...(e.upper !== undefined ? { upper: e.upper * k } : {}),
  });
  const policies = ids.map((id) => {
    const perRow = bootstrapMean(values.get(id)!, options);
    const label = id === statusQuoId && spec.statusQuo.label ? spec.statusQuo.label : labelOf(id);
    return { id, label, perRow, total: perRow.value * n };
  });
  const gains = ids
    .filter((id) => id !== input.policyModel)
    .map((over) => {
      const difference = scale(
        pairedBootstrapDifference(values.get(input.policyModel)!, values.get(over)!, options),
        n,
      );
      return {
        policy: input.policyModel,
        over,
        difference,
        distinguishable: (difference.lower ?? 0) > 0 || (difference.upper ?? 0) < 0,
      };
    });
  const headlineGain = gains.find((g) => g.over === statusQuoId);
  const statusLabel = policies.find((p) => p.id === statusQuoId)!.label;
  const headline = headlineGain
    ? `${signed(headlineGain.difference.value)} ${spec.unit}${spec.rule.rule === 'estimate' ? ' saved' : ''} over ${statusLabel} in ${input.period} (95% CI ${signed(headlineGain.difference.lower ?? 0)} to ${signed(headlineGain.difference.upper ?? 0)}${headlineGain.distinguishable ? '' : ', not distinguishable from zero'}), deciding with ${labelOf(input.policyModel)}.`
    : `${labelOf(input.policyModel)} is the status quo itself.`;
  return {
    decision: spec.decision,
    unit: spec.unit,
    rule: spec.rule,
    statusQuo: statusQuoId,
    policy: input.policyModel,
    rows: n,
    policies,
    gains,
    headline,
  };
}

/** Per-row value of one model's decisions under `rule`. */
export function rowValues(
  rule: ImpactSpec['rule'],
  forecasts: readonly Forecast[],
  outcomes: readonly number[],
  periods: readonly string[],
): number[] {
  switch (rule.rule) {
    case 'pick':
      return forecasts.map((f, i) =>
        argmax(probabilities(f)) === outcomes[i] ? rule.value.correct : rule.value.wrong,
      );
    case 'threshold':
      return forecasts.map((f, i) => {
        const p = probabilities(f)[1] ?? 0;
        if (p < rule.threshold) return rule.value.skip;
        return outcomes[i] === 1 ? rule.value.truePositive : rule.value.falsePositive;
      });
    case 'estimate':
      return forecasts.map((f, i) => -Math.abs(meanOf(f) - outcomes[i]!));
    case 'top-k': {
      const values = new Array<number>(forecasts.length).fill(0);
      const byPeriod = new Map<string, number[]>();
      periods.forEach((p, i) => {
        if (!byPeriod.has(p)) byPeriod.set(p, []);
        byPeriod.get(p)!.push(i);
      });
      for (const indices of byPeriod.values()) {
        const ranked = [...indices].sort((a, b) => meanOf(forecasts[b]!) - meanOf(forecasts[a]!) || a - b);
        for (const i of ranked.slice(0, rule.k)) values[i] = outcomes[i]!;
      }
      return values;
    }
  }
}

/** A fixed decision as a forecast: all probability on one class, or a point value. */
function fixedDecision(
  statusQuo: { always: string | number },
  classes: readonly string[] | undefined,
): Forecast {
  if (classes) {
    const k = classes.indexOf(String(statusQuo.always));
    if (k < 0) {
      throw new RangeError(
        `Expected the status quo to name a class (${classes.join(', ')}), but got "${statusQuo.always}".`,
      );
    }
    return { kind: 'probabilities', p: classes.map((_, j) => (j === k ? 1 : 0)) };
  }
  return { kind: 'gaussian', mean: Number(statusQuo.always), sd: 1 };
}

function probabilities(f: Forecast): readonly number[] {
  if (f.kind !== 'probabilities') {
    throw new RangeError(
      `Expected class probabilities for a pick or threshold decision, but got a ${f.kind} forecast.`,
    );
  }
  return f.p;
}

function meanOf(f: Forecast): number {
  return f.kind === 'probabilities' ? f.p.reduce((s, p, k) => s + p * k, 0) : f.mean;
}

function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

function signed(value: number): string {
  const rounded = Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(1);
  return value > 0 ? `+${rounded}` : rounded;
}
