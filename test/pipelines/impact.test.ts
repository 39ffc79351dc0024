import { describe, expect, it } from 'vitest';
import { constantTips, valueTips } from '../../pipelines/impact/tipping.ts';
import { tippingImpact } from '../../pipelines/impact/tipping-impact.ts';

describe('tipping impact', () => {
  const outcomes = [0, 0, 1, 2, 0, 2];
  const model = [0, 2, 1, 2, 0, 0];

  it('values a season of tips in points and the gain over the status quo by hand', () => {
    const result = valueTips(
      [
        { id: 'always-home', label: 'home', tips: constantTips(0, outcomes.length) },
        { id: 'model', label: 'model', tips: model },
      ],
      outcomes,
      { correct: 3, wrong: -1 },
      [{ policy: 'model', over: 'always-home' }],
      { seed: 1, resamples: 200 },
    );
    // Always home: 3 right (3 × 3) and 3 wrong (−3) = 6. Model: 4 right (12) and 2 wrong (−2) = 10.
    expect(result.policies.map((p) => [p.id, p.value.value, p.correct])).toEqual([
      ['always-home', 6, 3],
      ['model', 10, 4],
    ]);
    expect(result.gains[0]!.difference.value).toBeCloseTo(4, 12);
    expect(result.gains[0]!.difference.lower!).toBeLessThanOrEqual(4);
  });

  it('states the headline in the decision units first, saying when a gain cannot be told from zero', () => {
    const probabilities = {
      elo: outcomes.map(() => [0.5, 0.3, 0.2]),
      model: model.map((k) => [0, 1, 2].map((c) => (c === k ? 0.6 : 0.2))),
    };
    const impact = tippingImpact({
      spec: {
        decision: 'Tip every match',
        unit: 'points',
        value: { correct: 1, wrong: 0 },
        statusQuo: 'always-home',
        compareWith: ['elo'],
        betting: { edge: 0.05, stake: 1, bookmaker: 'Avg' },
      },
      models: [
        { id: 'elo', label: 'Elo' },
        { id: 'model', label: 'My model' },
      ],
      probabilities,
      outcomes,
      policyModel: 'model',
      period: 'the 2016-17 season',
      seed: 1,
      resamples: 200,
    });
    expect(impact.headline).toMatch(
      /^Tipping with My model over the 2016-17 season \(6 matches\) earns 4 points: \+1 points over always tipping the home side/,
    );
    expect(impact.headline).toContain('not distinguishable from zero');
    expect(impact.gains.map((g) => g.over)).toEqual(['always-home', 'elo']);
  });
});
