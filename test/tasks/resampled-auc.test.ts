import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipelines/random.ts';
import { rankAuc, resampledAuc } from '../../pipelines/tasks/auc.ts';

/** Scores with many ties (rounded to `digits`), labels drawn with a score-dependent rate. */
function sample(n: number, digits: number, seed: number) {
  const random = seededRandom(seed);
  const scores = Array.from({ length: n }, () => Number(random().toFixed(digits)));
  const labels = scores.map((s) => (random() < 0.2 + 0.6 * s ? 1 : 0));
  return { scores, labels };
}

describe('resampledAuc', () => {
  it('equals rankAuc of the resampled rows bit for bit, ties and repeated rows included', () => {
    for (const [n, digits, seed] of [
      [500, 1, 1],
      [2000, 2, 2],
      [300, 6, 3],
    ] as const) {
      const { scores, labels } = sample(n, digits, seed);
      const auc = resampledAuc(scores, labels);
      const random = seededRandom(seed + 100);
      for (let r = 0; r < 50; r++) {
        const rows = Uint32Array.from({ length: n }, () => Math.floor(random() * n));
        const expected = rankAuc(
          Array.from(rows, (i) => scores[i]!),
          Array.from(rows, (i) => labels[i]!),
        );
        expect(auc(rows)).toBe(expected);
      }
      expect(auc(Uint32Array.from({ length: n }, (_, i) => i))).toBe(rankAuc(scores, labels));
    }
  });

  it('refuses a resample with one class only, as rankAuc does', () => {
    const auc = resampledAuc([0.1, 0.9, 0.5], [0, 1, 0]);
    expect(() => auc([0, 2, 2])).toThrow(/both classes.*0 positive and 3 negative/);
    expect(auc([1, 0])).toBe(1);
  });
});
