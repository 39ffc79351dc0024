import { assign } from './assignment.ts';
import type { Experiment, ExperimentMetric } from './experiment-spec.ts';
import type { Exposure } from './exposure-log.ts';
import {
  type JoinedUnits,
  joinOutcomes,
  type MetricScorer,
  type OutcomeRow,
  type UnitMetrics,
} from './outcome-join.ts';
import { alwaysValid, mixtureVariance } from './statistics/always-valid.ts';
import { cupedDifference } from './statistics/cuped.ts';
import { groupSequentialBoundaries } from './statistics/group-sequential.ts';
import {
  type GuardrailStatus,
  limitStatus,
  nonInferiority,
  proportionBounds,
  quantileBounds,
} from './statistics/guardrail-tests.ts';
import { pairedDifference, welchDifference } from './statistics/mean-difference.ts';
import { adjustPValues } from './statistics/multiple-testing.ts';
import { ratioDifference } from './statistics/ratio-metric.ts';
import { type SampleRatioTest, sampleRatioTest } from './statistics/sample-ratio.ts';

/** One metric compared between a treatment arm and control. */
export interface MetricComparison {
  metric: string;
  role: 'primary' | 'secondary';
  better: 'higher' | 'lower';
  /** `mean` (Welch), `ratio` (delta method), `paired` (shadow mode), `cuped` (Welch on adjusted values). */
  method: 'mean' | 'ratio' | 'paired' | 'cuped';
  units: { control: number; treatment: number };
  control: number;
  treatment: number;
  difference: number;
  standardError: number;
  degreesOfFreedom: number;
  /** Fixed-horizon 95% (1 − α) interval. */
  interval: [number, number];
  pValue: number;
  /** Holm or Benjamini–Hochberg across every metric and treatment arm. */
  adjustedPValue: number;
  /** CUPED's effect on this metric, when a covariate was declared and recorded. */
  cuped?: {
    covariate: string;
    theta: number;
    correlation: number;
    varianceReduction: number;
    unadjustedStandardError: number;
  };
}

export interface GuardrailResult {
  guardrail: string;
  status: GuardrailStatus;
  detail: string;
}

/** The stopping rule applied to the primary metric. */
export interface SequentialResult {
  rule: Experiment['stoppingRule']['kind'];
  /** Share of the planned units reached. */
  informationFraction: number;
  /** Whether the rule says the data suffice to stop now. */
  stop: boolean;
  /** Whether the stop came from a significant primary difference. */
  significant: boolean;
  /** Always-valid p-value and interval (always-valid rule). */
  alwaysValid?: { pValue: number; interval: [number, number]; looks: number };
  /** Looks reached, each with its z and boundary (group-sequential rule). */
  looks?: { units: number; z: number; boundary: number; crossed: boolean }[];
}

export interface ArmAnalysis {
  arm: string;
  metrics: MetricComparison[];
  guardrails: GuardrailResult[];
  sequential: SequentialResult;
  decision: Decision;
}

export interface Decision {
  decision: 'ship' | 'keep-control' | 'continue';
  /** Why, in a sentence a reader can check against the numbers. */
  reason: string;
}

export interface ExperimentAnalysis {
  experiment: string;
  mode: Experiment['mode'];
  control: string;
  exposedUnits: Record<string, number>;
  analysedUnits: Record<string, number>;
  awaitingOutcome: number;
  crossovers: number;
  /**
   * Served exposures whose arm is not the one the assignment gives the unit (or for a unit the
   * assignment leaves out): a serving bug, which blocks the verdict like a sample-ratio mismatch.
   */
  assignmentMismatches: number;
  sampleRatio: SampleRatioTest;
  arms: ArmAnalysis[];
  /** The overall decision: ship the arm named, keep the control, or continue collecting. */
  decision: Decision & { arm?: string };
  multipleTesting: Experiment['multipleTesting'];
}

/**
 * Analyses an experiment from its exposures and outcomes: the sample-ratio test (a mismatch blocks
 * the verdict), every metric compared per treatment arm (Welch, delta method for ratios, paired
 * for shadow mode, CUPED when a covariate is declared), adjusted p-values across metrics, the
 * guardrails tested one-sided, the stopping rule on the primary metric, and a decision with its
 * reason. Throws `E_NO_OUTCOMES` when no exposed unit has an outcome yet.
 */
export function analyzeExperiment(
  experiment: Experiment,
  exposures: readonly Exposure[],
  outcomes: readonly OutcomeRow[],
  scorers?: Record<string, MetricScorer>,
): ExperimentAnalysis {
  const joined = joinOutcomes(experiment, exposures, outcomes, scorers);
  const control = experiment.arms.find((arm) => arm.control)!.model;
  const planned = Object.fromEntries(experiment.arms.map((arm) => [arm.model, arm.traffic]));
  // Shadow mode scores every unit with every arm: the served split is all control by design.
  const sampleRatio =
    experiment.mode === 'shadow'
      ? sampleRatioTest({ [control]: 1 }, { [control]: 100 })
      : sampleRatioTest(joined.exposedUnits, planned);
  const mismatches = assignmentMismatches(experiment, exposures);
  const analysedUnits: Record<string, number> = {};
  for (const row of joined.rows) analysedUnits[row.arm] = (analysedUnits[row.arm] ?? 0) + 1;

  const treatments = experiment.arms.filter((arm) => !arm.control).map((arm) => arm.model);
  const metricDeclarations: [ExperimentMetric, 'primary' | 'secondary'][] = [
    [experiment.primaryMetric, 'primary'],
    ...experiment.secondaryMetrics.map((m) => [m, 'secondary'] as [ExperimentMetric, 'secondary']),
  ];
  const comparisons = treatments.map((arm) =>
    metricDeclarations.flatMap(([metric, role]) => {
      const c = compare(experiment, joined, control, arm, metric, role);
      return c ? [c] : [];
    }),
  );
  const flat = comparisons.flat();
  const adjusted = adjustPValues(
    experiment.multipleTesting,
    flat.map((c) => c.pValue),
  );
  flat.forEach((c, i) => {
    c.adjustedPValue = adjusted[i]!;
  });

  const arms = treatments.map((arm, i): ArmAnalysis => {
    const metrics = comparisons[i]!;
    const guardrails = guardrailResults(experiment, joined, exposures, control, arm);
    const sequential = sequentialResult(experiment, joined.rows, control, arm);
    const primary = metrics.find((m) => m.role === 'primary');
    return {
      arm,
      metrics,
      guardrails,
      sequential,
      decision: decide(experiment, sampleRatio, mismatches, primary, guardrails, sequential),
    };
  });
  return {
    experiment: experiment.key,
    mode: experiment.mode,
    control,
    exposedUnits: joined.exposedUnits,
    analysedUnits,
    awaitingOutcome: joined.awaitingOutcome,
    crossovers: joined.crossovers,
    assignmentMismatches: mismatches,
    sampleRatio,
    arms,
    decision: overallDecision(arms),
    multipleTesting: experiment.multipleTesting,
  };
}

function valuesOf(rows: readonly UnitMetrics[], arm: string, metric: string): UnitMetrics[] {
  return rows.filter((row) => row.arm === arm && row.values[metric] !== undefined);
}

function compare(
  experiment: Experiment,
  joined: JoinedUnits,
  control: string,
  arm: string,
  metric: ExperimentMetric,
  role: 'primary' | 'secondary',
): MetricComparison | undefined {
  const estimate = estimateDifference(experiment, joined.rows, control, arm, metric);
  if (!estimate) return undefined;
  return { ...estimate, metric: metric.metric, role, better: metric.better, adjustedPValue: Number.NaN };
}

type Estimate = Omit<MetricComparison, 'metric' | 'role' | 'better' | 'adjustedPValue'>;

/** The difference treatment − control of one metric on `rows`, by the method the design calls for. */
function estimateDifference(
  experiment: Experiment,
  rows: readonly UnitMetrics[],
  control: string,
  arm: string,
  metric: Pick<ExperimentMetric, 'metric' | 'denominator'>,
): Estimate | undefined {
  const alpha = experiment.alpha;
  const id = metric.metric;
  if (metric.denominator) {
    const den = metric.denominator;
    const pick = (a: string) =>
      rows.filter((r) => r.arm === a && r.values[id] !== undefined && r.values[den] !== undefined);
    const c = pick(control);
    const t = pick(arm);
    if (c.length < 2 || t.length < 2) return undefined;
    const result = ratioDifference(
      { numerator: c.map((r) => r.values[id]!), denominator: c.map((r) => r.values[den]!) },
      { numerator: t.map((r) => r.values[id]!), denominator: t.map((r) => r.values[den]!) },
      alpha,
    );
    return {
      method: 'ratio',
      units: { control: c.length, treatment: t.length },
      control: result.control.ratio,
      treatment: result.treatment.ratio,
      difference: result.difference,
      standardError: result.standardError,
      degreesOfFreedom: Number.POSITIVE_INFINITY,
      interval: result.interval,
      pValue: result.pValue,
    };
  }
  if (experiment.mode === 'shadow') {
    const c = new Map(valuesOf(rows, control, id).map((r) => [r.unit, r.values[id]!]));
    const pairs = valuesOf(rows, arm, id).filter((r) => c.has(r.unit));
    if (pairs.length < 2) return undefined;
    const result = pairedDifference(
      pairs.map((r) => c.get(r.unit)!),
      pairs.map((r) => r.values[id]!),
      alpha,
    );
    return {
      method: 'paired',
      units: { control: pairs.length, treatment: pairs.length },
      control: result.control.mean,
      treatment: result.treatment.mean,
      difference: result.difference,
      standardError: result.standardError,
      degreesOfFreedom: result.degreesOfFreedom,
      interval: result.interval,
      pValue: result.pValue,
    };
  }
  const c = valuesOf(rows, control, id);
  const t = valuesOf(rows, arm, id);
  if (c.length < 2 || t.length < 2) return undefined;
  const covariate = experiment.cupedCovariate;
  const withCovariate = (list: UnitMetrics[]) => list.every((r) => r.covariate !== undefined);
  if (covariate !== undefined && withCovariate(c) && withCovariate(t)) {
    const result = cupedDifference(
      { y: c.map((r) => r.values[id]!), x: c.map((r) => r.covariate!) },
      { y: t.map((r) => r.values[id]!), x: t.map((r) => r.covariate!) },
      alpha,
    );
    return {
      method: 'cuped',
      units: { control: c.length, treatment: t.length },
      control: result.unadjusted.control.mean,
      treatment: result.unadjusted.treatment.mean,
      difference: result.adjusted.difference,
      standardError: result.adjusted.standardError,
      degreesOfFreedom: result.adjusted.degreesOfFreedom,
      interval: result.adjusted.interval,
      pValue: result.adjusted.pValue,
      cuped: {
        covariate,
        theta: result.theta,
        correlation: result.correlation,
        varianceReduction: result.varianceReduction,
        unadjustedStandardError: result.unadjusted.standardError,
      },
    };
  }
  const result = welchDifference(
    c.map((r) => r.values[id]!),
    t.map((r) => r.values[id]!),
    alpha,
  );
  return {
    method: 'mean',
    units: { control: c.length, treatment: t.length },
    control: result.control.mean,
    treatment: result.treatment.mean,
    difference: result.difference,
    standardError: result.standardError,
    degreesOfFreedom: result.degreesOfFreedom,
    interval: result.interval,
    pValue: result.pValue,
  };
}

function guardrailResults(
  experiment: Experiment,
  joined: JoinedUnits,
  exposures: readonly Exposure[],
  control: string,
  arm: string,
): GuardrailResult[] {
  const { alpha, guardrails } = experiment;
  const results: GuardrailResult[] = [];
  const armExposures = exposures.filter((e) => e.experiment === experiment.key && e.arm === arm);
  if (guardrails.p99LatencyMs !== undefined) {
    const bounds = quantileBounds(
      armExposures.map((e) => e.latencyMs),
      0.99,
      alpha,
    );
    const status = armExposures.length === 0 ? 'inconclusive' : limitStatus(bounds, guardrails.p99LatencyMs);
    results.push({
      guardrail: 'p99-latency',
      status,
      detail: `p99 ${fmt(bounds.estimate)} ms (one-sided ${100 * (1 - alpha)}% bounds ${fmt(bounds.lower)}–${fmt(bounds.upper)} ms) against a limit of ${guardrails.p99LatencyMs} ms over ${armExposures.length} predictions`,
    });
  }
  if (guardrails.errorRate !== undefined) {
    const errors = armExposures.filter((e) => e.error !== undefined).length;
    const bounds = proportionBounds(errors, armExposures.length, alpha);
    const status = armExposures.length === 0 ? 'inconclusive' : limitStatus(bounds, guardrails.errorRate);
    results.push({
      guardrail: 'error-rate',
      status,
      detail: `${errors} of ${armExposures.length} predictions failed (one-sided bounds ${fmt(100 * bounds.lower)}–${fmt(100 * bounds.upper)}%) against a limit of ${100 * guardrails.errorRate}%`,
    });
  }
  for (const guardrail of guardrails.nonInferiority) {
    const estimate = estimateDifference(experiment, joined.rows, control, arm, guardrail);
    if (!estimate) {
      results.push({
        guardrail: `non-inferiority:${guardrail.metric}`,
        status: 'inconclusive',
        detail: 'too few units with this metric',
      });
      continue;
    }
    const test = nonInferiority(estimate, guardrail.better, guardrail.margin, alpha);
    results.push({
      guardrail: `non-inferiority:${guardrail.metric}`,
      status: test.status,
      detail: `difference ${fmt(estimate.difference)} (${guardrail.better} is better) against a margin of ${guardrail.margin}; one-sided p = ${fmt(test.pValue)}`,
    });
  }
  return results;
}

function primaryEstimate(experiment: Experiment, rows: readonly UnitMetrics[], control: string, arm: string) {
  return estimateDifference(experiment, rows, control, arm, experiment.primaryMetric);
}

function sequentialResult(
  experiment: Experiment,
  rows: readonly UnitMetrics[],
  control: string,
  arm: string,
): SequentialResult {
  const rule = experiment.stoppingRule;
  const inArms = rows.filter((r) => r.arm === control || r.arm === arm);
  const units = new Set(inArms.map((r) => r.unit)).size;
  const shares = experiment.arms.filter((a) => a.model === control || a.model === arm);
  const totalShare = shares.reduce((sum, a) => sum + a.traffic, 0);
  const plannedUnits = (experiment.plannedUnits * (experiment.mode === 'shadow' ? 100 : totalShare)) / 100;
  const informationFraction = units / plannedUnits;
  const final = primaryEstimate(experiment, rows, control, arm);
  if (rule.kind === 'fixed-horizon') {
    const reached = informationFraction >= 1;
    return { rule: rule.kind, informationFraction, stop: reached, significant: false };
  }
  // Units in order of entry: a look at n units sees the first n to enter, as it would have then.
  const order = [
    ...new Set([...inArms].sort((a, b) => a.firstExposure.localeCompare(b.firstExposure)).map((r) => r.unit)),
  ];
  const upTo = (n: number) => {
    const keep = new Set(order.slice(0, n));
    return rows.filter((r) => keep.has(r.unit));
  };
  if (rule.kind === 'group-sequential') {
    const fractions = Array.from({ length: rule.looks }, (_, k) => (k + 1) / rule.looks);
    const boundaries = groupSequentialBoundaries(fractions, experiment.alpha);
    const looks: NonNullable<SequentialResult['looks']> = [];
    for (let k = 0; k < rule.looks; k++) {
      const n = Math.round(fractions[k]! * plannedUnits);
      if (n > units) break;
      const estimate = primaryEstimate(experiment, upTo(n), control, arm);
      if (!estimate) continue;
      const z = estimate.difference / estimate.standardError;
      looks.push({ units: n, z, boundary: boundaries[k]!, crossed: Math.abs(z) >= boundaries[k]! });
      if (Math.abs(z) >= boundaries[k]!) break;
    }
    const crossed = looks.some((l) => l.crossed);
    return {
      rule: rule.kind,
      informationFraction,
      stop: crossed || looks.length === rule.looks,
      significant: crossed,
      looks,
    };
  }
  // Always valid: a look at the end of every day of entries, and one now.
  const entryDay = new Map(inArms.map((r) => [r.unit, r.firstExposure.slice(0, 10)]));
  const days = [...new Set(order.map((unit) => entryDay.get(unit)!))];
  const looks = days.map((day) => order.filter((unit) => entryDay.get(unit)! <= day).length);
  const estimates = looks.flatMap((n) => {
    const e = primaryEstimate(experiment, upTo(n), control, arm);
    return e ? [{ estimate: e.difference, variance: e.standardError ** 2 }] : [];
  });
  // Variance at the planned horizon, scaled from the current one (variance ∝ 1 / units).
  const plannedVariance = final ? (final.standardError ** 2 * units) / (rule.tuningUnits ?? plannedUnits) : 1;
  const result = alwaysValid(estimates, mixtureVariance(plannedVariance, experiment.alpha), experiment.alpha);
  const significant = result.pValue < experiment.alpha;
  return {
    rule: rule.kind,
    informationFraction,
    stop: significant || informationFraction >= 1,
    significant,
    alwaysValid: { pValue: result.pValue, interval: result.interval, looks: result.looks.length },
  };
}

/** Counts served exposures whose arm differs from the unit's assignment recomputed here. */
export function assignmentMismatches(experiment: Experiment, exposures: readonly Exposure[]): number {
  let mismatches = 0;
  for (const exposure of exposures) {
    if (exposure.experiment !== experiment.key || exposure.role !== 'served') continue;
    const assignment = assign(experiment, exposure.unit);
    const expected =
      assignment.status !== 'assigned'
        ? undefined
        : experiment.mode === 'shadow'
          ? experiment.arms.find((arm) => arm.control)!.model
          : assignment.arm;
    if (exposure.arm !== expected) mismatches++;
  }
  return mismatches;
}

function decide(
  experiment: Experiment,
  sampleRatio: SampleRatioTest,
  mismatches: number,
  primary: MetricComparison | undefined,
  guardrails: readonly GuardrailResult[],
  sequential: SequentialResult,
): Decision {
  if (sampleRatio.mismatch) {
    return {
      decision: 'keep-control',
      reason: `Verdict blocked: sample-ratio mismatch (χ² = ${fmt(sampleRatio.chiSquare)}, p = ${sampleRatio.pValue.toExponential(2)} < 0.001); find the assignment or logging bug before reading any result.`,
    };
  }
  if (mismatches > 0) {
    return {
      decision: 'keep-control',
      reason: `Verdict blocked: ${mismatches} served exposure(s) came from an arm other than the unit's assignment (seed "${experiment.seed}", key "${experiment.key}"); the server does not assign as declared.`,
    };
  }
  const failed = guardrails.filter((g) => g.status === 'fail');
  if (failed.length > 0) {
    return {
      decision: 'keep-control',
      reason: `Guardrail failed: ${failed.map((g) => `${g.guardrail} (${g.detail})`).join('; ')}.`,
    };
  }
  if (!primary) {
    return {
      decision: 'continue',
      reason: 'Too few units with the primary metric in both arms to estimate a difference.',
    };
  }
  const improves = primary.better === 'lower' ? primary.difference < 0 : primary.difference > 0;
  const pct = `${(100 * sequential.informationFraction).toFixed(0)}% of the planned units`;
  let significant: boolean;
  let evidence: string;
  if (sequential.rule === 'fixed-horizon') {
    if (!sequential.stop) {
      return {
        decision: 'continue',
        reason: `Fixed horizon not reached: ${pct}; reading the result earlier would inflate false positives.`,
      };
    }
    significant = primary.adjustedPValue < experiment.alpha;
    evidence = `adjusted p = ${fmt(primary.adjustedPValue)} (${experiment.multipleTesting})`;
  } else if (sequential.rule === 'group-sequential') {
    const last = sequential.looks?.at(-1);
    if (!sequential.stop) {
      return {
        decision: 'continue',
        reason: `No group-sequential boundary crossed at ${sequential.looks?.length ?? 0} of ${experiment.stoppingRule.kind === 'group-sequential' ? experiment.stoppingRule.looks : 0} looks (${pct}).`,
      };
    }
    significant = sequential.significant;
    evidence = last
      ? `|z| = ${fmt(Math.abs(last.z))} against a boundary of ${fmt(last.boundary)} at ${last.units} units`
      : 'no look';
  } else {
    const av = sequential.alwaysValid!;
    if (!sequential.stop) {
      return {
        decision: 'continue',
        reason: `Always-valid p = ${fmt(av.pValue)} ≥ ${experiment.alpha} after ${av.looks} daily looks (${pct}); interval ${fmtInterval(av.interval)}.`,
      };
    }
    significant = sequential.significant;
    evidence = `always-valid p = ${fmt(av.pValue)}, interval ${fmtInterval(av.interval)}`;
  }
  const effect = `${primary.metric} ${fmt(primary.control)} → ${fmt(primary.treatment)} (difference ${fmt(primary.difference)}, 95% CI ${fmtInterval(primary.interval)})`;
  if (!significant) {
    return { decision: 'keep-control', reason: `No significant difference on ${effect}: ${evidence}.` };
  }
  if (!improves) {
    return {
      decision: 'keep-control',
      reason: `The treatment is significantly worse on ${effect}: ${evidence}.`,
    };
  }
  const pending = guardrails.filter((g) => g.status === 'inconclusive');
  if (pending.length > 0) {
    return {
      decision: sequential.informationFraction >= 1 ? 'keep-control' : 'continue',
      reason: `The treatment improves ${effect} (${evidence}), but guardrails are not yet shown to hold: ${pending.map((g) => g.guardrail).join(', ')}.`,
    };
  }
  return {
    decision: 'ship',
    reason: `The treatment improves ${effect}: ${evidence}; every guardrail holds.`,
  };
}

function overallDecision(arms: readonly ArmAnalysis[]): ExperimentAnalysis['decision'] {
  const shippable = arms.filter((a) => a.decision.decision === 'ship');
  if (shippable.length > 0) {
    const best = shippable.reduce((a, b) => {
      const pa = a.metrics.find((m) => m.role === 'primary')!;
      const pb = b.metrics.find((m) => m.role === 'primary')!;
      const sign = pa.better === 'lower' ? -1 : 1;
      return sign * pb.difference > sign * pa.difference ? b : a;
    });
    return { ...best.decision, arm: best.arm };
  }
  const waiting = arms.find((a) => a.decision.decision === 'continue');
  if (waiting) return { ...waiting.decision, arm: waiting.arm };
  return { ...arms[0]!.decision, ...(arms[0] ? { arm: arms[0].arm } : {}) };
}

function fmt(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100
    ? value.toFixed(0)
    : Math.abs(value) >= 1
      ? value.toFixed(2)
      : value.toPrecision(3);
}

function fmtInterval([low, high]: [number, number]): string {
  return `[${fmt(low)}, ${fmt(high)}]`;
}
