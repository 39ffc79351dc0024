import { describe, expect, it } from 'vitest';
import { decisionImpact, rowValues } from '../../pipelines/impact/decision-impact.ts';
import type { Forecast } from '../../pipelines/tasks/task.ts';
import { impactSpecSchema } from '../../portfolio/project-file/question-spec.ts';

const gauss = (mean: number): Forecast => ({ kind: 'gaussian', mean, sd: 1 });
const probs = (...p: number[]): Forecast => ({ kind: 'probabilities', p });

describe('rowValues', () => {
  it('values picks by the declared points for a correct and a wrong pick', () => {
    const rule = { rule: 'pick', value: { correct: 3, wrong: -1 } } as const;
    expect(rowValues(rule, [probs(0.6, 0.4), probs(0.2, 0.8)], [0, 0], ['a', 'a'])).toEqual([3, -1]);
  });

  it('acts on a threshold only when the positive class is likely enough', () => {
    const rule = {
      rule: 'threshold',
      threshold: 0.7,
      value: { truePositive: 2, falsePositive: -1, skip: 0 },
    } as const;
    expect(
      rowValues(rule, [probs(0.2, 0.8), probs(0.25, 0.75), probs(0.5, 0.5)], [1, 0, 1], ['a', 'a', 'a']),
    ).toEqual([2, -1, 0]);
  });

  it('values an estimate by minus its absolute error', () => {
    expect(rowValues({ rule: 'estimate' }, [gauss(90), gauss(70)], [85, 80], ['a', 'a'])).toEqual([-5, -10]);
  });

  it('picks the k highest forecasts within each period', () => {
    const values = rowValues(
      { rule: 'top-k', k: 1 },
      [gauss(1), gauss(3), gauss(2), gauss(0)],
      [10, 20, 30, 40],
      ['2019', '2019', '2020', '2020'],
    );
    expect(values).toEqual([0, 20, 30, 0]);
  });
});

describe('decisionImpact', () => {
  it('reports the gain over the status quo in the decision units, with a paired interval', () => {
    const spec = impactSpecSchema.parse({
      decision: 'Predict every team’s wins',
      unit: 'wins',
      rule: { rule: 'estimate' },
      statusQuo: { model: 'last', label: 'Last season’s wins' },
    });
    const outcomes = Array.from({ length: 40 }, (_, i) => 80 + (i % 7));
    const impact = decisionImpact({
      spec,
      models: [
        { id: 'last', label: 'Persistence' },
        { id: 'ridge', label: 'Ridge' },
      ],
      forecasts: {
        last: outcomes.map((y, i) => gauss(y + (i % 2 ? 6 : -6))),
        ridge: outcomes.map((y, i) => gauss(y + (i % 2 ? 2 : -2))),
      },
      outcomes,
      periods: outcomes.map(() => '2020'),
      policyModel: 'ridge',
      period: 'the 2020 season',
      seed: 1,
      resamples: 200,
    });
    const gain = impact.gains[0]!;
    expect(gain.over).toBe('last');
    expect(gain.difference.value).toBeCloseTo(40 * 4, 9);
    expect(gain.distinguishable).toBe(true);
    expect(impact.headline).toMatch(/^\+160 wins saved over Last season’s wins in the 2020 season/);
  });
});

describe('a fixed status quo', () => {
  it('values "always tip the home side" against the model’s picks', () => {
    const spec = impactSpecSchema.parse({
      decision: 'Tip every match',
      unit: 'points',
      rule: { rule: 'pick' },
      statusQuo: { always: 'H', label: 'Always tip the home side' },
    });
    const outcomes = [0, 1, 2, 0, 2, 2];
    const impact = decisionImpact({
      spec,
      models: [{ id: 'm', label: 'Model' }],
      forecasts: { m: outcomes.map((y) => probs(...[0, 1, 2].map((k) => (k === y ? 0.8 : 0.1)))) },
      outcomes,
      classes: ['H', 'D', 'A'],
      periods: outcomes.map(() => 's'),
      policyModel: 'm',
      period: 'the season',
      seed: 3,
      resamples: 100,
    });
    expect(impact.policies.map((p) => [p.id, p.total])).toEqual([
      ['status-quo', 2],
      ['m', 6],
    ]);
    expect(impact.headline).toContain('+4.0 points over Always tip the home side');
  });
});
