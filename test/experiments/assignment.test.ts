import { describe, expect, it } from 'vitest';
import {
  type AssignmentPlan,
  assign,
  bucketOf,
  overlappingExperiments,
} from '../../experiments/assignment.ts';
import golden from '../../experiments/assignment-vectors.json' with { type: 'json' };
import { sampleRatioTest } from '../../experiments/statistics/sample-ratio.ts';

const plans = golden.vectors.map((v) => v.plan as AssignmentPlan);

function countArms(plan: AssignmentPlan, units: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < units; i++) {
    const a = assign(plan, `unit-${i}`);
    if (a.status === 'assigned') counts[a.arm] = (counts[a.arm] ?? 0) + 1;
  }
  return counts;
}

describe('deterministic assignment', () => {
  it('matches the golden vectors computed independently in Python', () => {
    let checked = 0;
    for (const { plan, cases } of golden.vectors) {
      for (const c of cases) {
        expect(bucketOf(plan.seed, 'holdout', c.unit)).toBe(c.holdoutBucket);
        expect(bucketOf(plan.seed, `layer:${plan.layer.name}`, c.unit)).toBe(c.layerBucket);
        expect(bucketOf(plan.seed, plan.key, c.unit)).toBe(c.armBucket);
        expect(assign(plan as AssignmentPlan, c.unit)).toEqual(c.assignment);
        checked++;
      }
    }
    expect(checked).toBe(129);
    const statuses = new Set(golden.vectors.flatMap((v) => v.cases.map((c) => c.assignment.status)));
    expect(statuses).toEqual(new Set(['assigned', 'holdout', 'outside-layer']));
  });

  it('passes the SRM test at the planned ratio on 100,000 units', () => {
    const [twoArms, threeArms, ninetyTen] = plans;
    for (const plan of [twoArms!, threeArms!, ninetyTen!]) {
      const counts = countArms(plan, 100_000);
      const planned = Object.fromEntries(plan.arms.map((arm) => [arm.model, arm.traffic]));
      const test = sampleRatioTest(counts, planned);
      expect(test.mismatch, `${plan.key}: ${JSON.stringify(test)}`).toBe(false);
    }
  });

  it('fails the SRM test when the served split is broken', () => {
    // A serving bug that sends one in twenty of the treatment's units to control.
    const plan = plans[0]!;
    const counts: Record<string, number> = { 'elo-logistic': 0, 'gradient-boosting': 0 };
    for (let i = 0; i < 100_000; i++) {
      const a = assign(plan, `unit-${i}`);
      if (a.status !== 'assigned') continue;
      const arm = a.arm === 'gradient-boosting' && i % 20 === 0 ? 'elo-logistic' : a.arm;
      counts[arm]! += 1;
    }
    const test = sampleRatioTest(counts, { 'elo-logistic': 50, 'gradient-boosting': 50 });
    expect(test.mismatch).toBe(true);
    expect(test.pValue).toBeLessThan(1e-20);
  });

  it('keeps experiments in disjoint ranges of one layer apart, and layers independent', () => {
    const base = plans[0]!;
    const left: AssignmentPlan = { ...base, key: 'left', layer: { name: 'models', from: 0, to: 50 } };
    const right: AssignmentPlan = { ...base, key: 'right', layer: { name: 'models', from: 50, to: 100 } };
    const other: AssignmentPlan = { ...base, key: 'other', layer: { name: 'ui', from: 0, to: 50 } };
    expect(overlappingExperiments([left, right, other])).toEqual([]);
    expect(
      overlappingExperiments([left, { ...right, layer: { name: 'models', from: 40, to: 100 } }]),
    ).toEqual([['left', 'right']]);
    let both = 0;
    let inLeftAndOther = 0;
    const units = 20_000;
    for (let i = 0; i < units; i++) {
      const unit = `u${i}`;
      const l = assign(left, unit).status === 'assigned';
      if (l && assign(right, unit).status === 'assigned') both++;
      if (l && assign(other, unit).status === 'assigned') inLeftAndOther++;
    }
    expect(both).toBe(0);
    // Independent layers overlap as chance says: a quarter of units, within 4 standard errors.
    expect(Math.abs(inLeftAndOther / units - 0.25)).toBeLessThan(4 * Math.sqrt((0.25 * 0.75) / units));
  });

  it('holds out the declared share of units from every experiment', () => {
    const plan = plans[1]!;
    let held = 0;
    for (let i = 0; i < 50_000; i++) if (assign(plan, `unit-${i}`).status === 'holdout') held++;
    expect(Math.abs(held / 50_000 - 0.1)).toBeLessThan(4 * Math.sqrt((0.1 * 0.9) / 50_000));
  });

  it('refuses an empty unit id', () => {
    expect(() => assign(plans[0]!, '')).toThrow(expect.objectContaining({ code: 'E_UNIT_MISSING' }));
  });
});
