import { describe, expect, it } from 'vitest';
import { analyzeExperiment, assignmentMismatches } from '../../experiments/analysis.ts';
import golden from '../../experiments/assignment-vectors.json' with { type: 'json' };
import { type ExperimentSpec, parseExperiment } from '../../experiments/experiment-spec.ts';
import type { Exposure } from '../../experiments/exposure-log.ts';
import { joinOutcomes } from '../../experiments/outcome-join.ts';
import { exampleExperiment, modelIds } from './experiment-example.ts';
import { simulateTraffic } from './fixtures/simulated-traffic.ts';

const experimentOf = (overrides: Partial<ExperimentSpec> = {}) =>
  parseExperiment(exampleExperiment({ plannedUnits: 3000, ...overrides }), 'test', { modelIds });
const sharper = { 'elo-logistic': 0.15, 'gradient-boosting': 0.04 };
const same = { 'elo-logistic': 0.1, 'gradient-boosting': 0.1 };

describe('joining outcomes to exposures', () => {
  it('refuses to analyse before any outcome has arrived, keeping the exposures untouched', () => {
    const experiment = experimentOf();
    const { exposures } = simulateTraffic(experiment, { units: 200, days: 2, seed: 1, noise: same });
    const before = JSON.stringify(exposures);
    expect(() => analyzeExperiment(experiment, exposures, [])).toThrow(
      expect.objectContaining({
        code: 'E_NO_OUTCOMES',
        message: expect.stringContaining('200 exposed unit(s)'),
      }),
    );
    expect(JSON.stringify(exposures)).toBe(before);
  });

  it('scores each unit’s served prediction against its outcome, and counts units still waiting', () => {
    const experiment = experimentOf();
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 100,
      days: 1,
      seed: 2,
      noise: same,
    });
    const joined = joinOutcomes(experiment, exposures, outcomes.slice(0, 60));
    expect(joined.rows).toHaveLength(60);
    expect(joined.awaitingOutcome).toBe(40);
    const first = joined.rows[0]!;
    const exposure = exposures.find((e) => e.unit === first.unit)!;
    const outcome = outcomes.find((o) => o.unit === first.unit)!.outcome as string;
    const p = (exposure.prediction as { probabilities: Record<string, number> }).probabilities[outcome]!;
    expect(first.values['log-loss']).toBeCloseTo(-Math.log(p), 12);
  });
});

describe('the analysis side of assignment', () => {
  it('recomputes the golden vectors’ arms and flags exposures served from another arm', () => {
    const experiment = experimentOf();
    const vectors = golden.vectors[0]!;
    expect(vectors.plan.key).toBe(experiment.key);
    const exposures: Exposure[] = vectors.cases.map((c) => ({
      experiment: experiment.key,
      unit: c.unit,
      arm: (c.assignment as { arm: string }).arm,
      role: 'served',
      at: '2026-03-01T00:00:00.000Z',
      modelVersion: 'run-1',
      latencyMs: 1,
    }));
    expect(assignmentMismatches(experiment, exposures)).toBe(0);
    const swapped = exposures.map((e, i) =>
      i < 3 ? { ...e, arm: e.arm === 'elo-logistic' ? 'gradient-boosting' : 'elo-logistic' } : e,
    );
    expect(assignmentMismatches(experiment, swapped)).toBe(3);
  });

  it('blocks the verdict when the server answered from the wrong arm', () => {
    const experiment = experimentOf();
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 3000,
      days: 10,
      seed: 3,
      noise: sharper,
    });
    const wrong = exposures.map((e, i) =>
      i === 7 ? { ...e, arm: e.arm === 'elo-logistic' ? 'gradient-boosting' : 'elo-logistic' } : e,
    );
    const analysis = analyzeExperiment(experiment, wrong, outcomes);
    expect(analysis.assignmentMismatches).toBe(1);
    expect(analysis.decision.decision).toBe('keep-control');
    expect(analysis.decision.reason).toContain('the server does not assign as declared');
  });
});

describe('analysing an experiment', () => {
  it('ships a sharper model at the fixed horizon, with CUPED reducing the variance', () => {
    const experiment = experimentOf({ cupedCovariate: 'baseline-entropy' });
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 3000,
      days: 10,
      seed: 3,
      noise: sharper,
    });
    const analysis = analyzeExperiment(experiment, exposures, outcomes);
    expect(analysis.sampleRatio.mismatch).toBe(false);
    const primary = analysis.arms[0]!.metrics[0]!;
    expect(primary).toMatchObject({ metric: 'log-loss', method: 'cuped', role: 'primary' });
    expect(primary.difference).toBeLessThan(0);
    // The covariate explains little of a per-unit log loss, and CUPED removes about ρ² of the variance.
    expect(primary.cuped!.varianceReduction).toBeGreaterThan(0.005);
    expect(primary.cuped!.varianceReduction).toBeCloseTo(primary.cuped!.correlation ** 2, 3);
    expect(primary.standardError).toBeLessThan(primary.cuped!.unadjustedStandardError);
    expect(primary.adjustedPValue).toBeLessThan(0.05);
    expect(analysis.decision).toMatchObject({ decision: 'ship', arm: 'gradient-boosting' });
    expect(analysis.decision.reason).toContain('log-loss');
  });

  it('keeps the control when two equal models show no difference', () => {
    const experiment = experimentOf();
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 3000,
      days: 10,
      seed: 4,
      noise: same,
    });
    const analysis = analyzeExperiment(experiment, exposures, outcomes);
    expect(analysis.decision.decision).toBe('keep-control');
    expect(analysis.decision.reason).toContain('No significant difference');
  });

  it('waits for the fixed horizon before reading the result', () => {
    const experiment = experimentOf({ plannedUnits: 10_000 });
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 3000,
      days: 10,
      seed: 3,
      noise: sharper,
    });
    const analysis = analyzeExperiment(experiment, exposures, outcomes);
    expect(analysis.decision.decision).toBe('continue');
    expect(analysis.decision.reason).toContain('Fixed horizon not reached: 30% of the planned units');
  });

  it('blocks the verdict on a sample-ratio mismatch, whatever the metric says', () => {
    const experiment = experimentOf();
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 3000,
      days: 10,
      seed: 3,
      noise: sharper,
      dropShare: { 'gradient-boosting': 0.15 },
    });
    const analysis = analyzeExperiment(experiment, exposures, outcomes);
    expect(analysis.sampleRatio.mismatch).toBe(true);
    expect(analysis.decision.decision).toBe('keep-control');
    expect(analysis.decision.reason).toContain('Verdict blocked: sample-ratio mismatch');
  });

  it('keeps the control when a guardrail fails, even if the primary metric improves', () => {
    const experiment = experimentOf({
      guardrails: { errorRate: 0.01, p99LatencyMs: 50, nonInferiority: [] },
    });
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 3000,
      days: 10,
      seed: 3,
      noise: sharper,
      errorShare: { 'gradient-boosting': 0.05 },
    });
    const analysis = analyzeExperiment(experiment, exposures, outcomes);
    const guardrails = analysis.arms[0]!.guardrails;
    expect(guardrails.map((g) => [g.guardrail, g.status])).toEqual([
      ['p99-latency', 'pass'],
      ['error-rate', 'fail'],
    ]);
    expect(analysis.decision.decision).toBe('keep-control');
    expect(analysis.decision.reason).toContain('Guardrail failed: error-rate');
  });

  it('analyses shadow mode as a paired design, and reports adjusted p-values across metrics', () => {
    const experiment = experimentOf({
      mode: 'shadow',
      plannedUnits: 1000,
      secondaryMetrics: [
        { metric: 'brier', better: 'lower' },
        { metric: 'log-loss', better: 'lower', denominator: 'predictions' },
      ],
      multipleTesting: 'benjamini-hochberg',
    });
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 1000,
      days: 5,
      seed: 5,
      noise: sharper,
    });
    const analysis = analyzeExperiment(experiment, exposures, outcomes);
    const metrics = analysis.arms[0]!.metrics;
    expect(metrics.map((m) => [m.metric, m.method])).toEqual([
      ['log-loss', 'paired'],
      ['brier', 'paired'],
      ['log-loss', 'ratio'],
    ]);
    expect(metrics[0]!.units).toEqual({ control: 1000, treatment: 1000 });
    for (const m of metrics) expect(m.adjustedPValue).toBeGreaterThanOrEqual(m.pValue);
    // The paired design is more precise than the unpaired (ratio) view of the same units.
    expect(metrics[0]!.standardError).toBeLessThan(metrics[2]!.standardError * 0.8);
    expect(analysis.decision.decision).toBe('ship');
  });

  it('stops early at a group-sequential boundary, replaying the looks from the log', () => {
    const experiment = experimentOf({
      plannedUnits: 6000,
      stoppingRule: { kind: 'group-sequential', looks: 4 },
    });
    const { exposures, outcomes } = simulateTraffic(experiment, {
      units: 3000,
      days: 10,
      seed: 3,
      noise: sharper,
    });
    const analysis = analyzeExperiment(experiment, exposures, outcomes);
    const looks = analysis.arms[0]!.sequential.looks!;
    expect(looks[0]!.units).toBe(1500);
    expect(looks.at(-1)!.crossed).toBe(true);
    expect(analysis.decision.decision).toBe('ship');
    expect(analysis.decision.reason).toMatch(/against a boundary of \d/);
  });

  it('stops with an always-valid p-value over daily looks, or continues', () => {
    const experiment = experimentOf({ plannedUnits: 6000, stoppingRule: { kind: 'always-valid' } });
    const strong = simulateTraffic(experiment, { units: 3000, days: 10, seed: 3, noise: sharper });
    const analysis = analyzeExperiment(experiment, strong.exposures, strong.outcomes);
    const av = analysis.arms[0]!.sequential.alwaysValid!;
    expect(av.looks).toBe(10);
    expect(av.interval[1]).toBeLessThan(0);
    expect(analysis.decision.decision).toBe('ship');
    const none = simulateTraffic(experiment, { units: 3000, days: 10, seed: 6, noise: same });
    expect(analyzeExperiment(experiment, none.exposures, none.outcomes).decision.decision).toBe('continue');
  });
});
