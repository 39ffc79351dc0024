import { describe, expect, it } from 'vitest';
import { confidentLearning, relabelOutcome } from '../../labelling/confident-learning.ts';
import { seededRandom } from '../../labelling/seeded-random.ts';
import { outOfFold } from './logistic-regression.ts';

/**
 * Three Gaussian classes in four dimensions whose centres lie `spread` apart, 5% of labels flipped
 * on purpose (each to another class at random), and out-of-fold probabilities of a logistic
 * regression fitted to the noisy labels.
 */
function noisySet(n: number, seed: number, spread: number) {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = [
    [0, 0, 0, 0],
    [spread, 0.2 * spread, 0, 0.2 * spread],
    [0.3 * spread, spread, 0.2 * spread, 0],
  ];
  const x: number[][] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 3;
    truth.push(c);
    x.push(centres[c]!.map((m) => m + gaussian()));
  }
  const given = [...truth];
  const flipped = new Set<number>();
  while (flipped.size < Math.round(n * 0.05)) {
    const i = Math.floor(random() * given.length);
    if (flipped.has(i)) continue;
    flipped.add(i);
    given[i] = (truth[i]! + 1 + Math.floor(random() * 2)) % 3;
  }
  const probabilities = outOfFold(x, given, 3);
  const accuracy = probabilities.filter((p, i) => p.indexOf(Math.max(...p)) === truth[i]).length / n;
  return { truth, given, flipped, probabilities, accuracy };
}

function scores(set: ReturnType<typeof noisySet>, method?: 'confident-joint') {
  const { suspects } = confidentLearning(set.given, set.probabilities, method ? { method } : {});
  const found = suspects.filter((s) => set.flipped.has(s.index)).length;
  return { suspects, recall: found / set.flipped.size, precision: found / suspects.length };
}

describe('the label-error audit by confident learning', () => {
  // Separable classes, as in a task whose classes the context decides (the model is 99.9% right against the truth).
  const clear = noisySet(1500, 2021, 6.7);
  // Overlapping classes (the model is about 98% right against the truth).
  const hard = noisySet(1500, 2021, 4.5);

  it('finds at least 90% of the flipped labels and ranks them ahead of the rest', () => {
    const { suspects, recall, precision } = scores(clear);
    console.log(
      `confident learning, 1,500 items, 75 flipped, model accuracy ${clear.accuracy.toFixed(3)}: recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}, ${suspects.length} suspects`,
    );
    expect(recall).toBeGreaterThanOrEqual(0.9);
    expect(precision).toBeGreaterThan(0.9);
    for (const s of suspects.slice(0, 20)) expect(s.suggested).toBe(clear.truth[s.index]);
  });

  it('finds most flips where classes overlap, and says how many (ambiguous items hide flips)', () => {
    const { suspects, recall, precision } = scores(hard);
    console.log(
      `confident learning, 1,500 items, 75 flipped, model accuracy ${hard.accuracy.toFixed(3)}: recall ${recall.toFixed(3)}, precision ${precision.toFixed(3)}, ${suspects.length} suspects`,
    );
    expect(hard.accuracy).toBeLessThan(0.99);
    expect(recall).toBeGreaterThan(0.8);
    expect(precision).toBeGreaterThan(0.85);
    // The top of the ranking is almost all real flips.
    expect(suspects.slice(0, 40).filter((s) => hard.flipped.has(s.index)).length).toBeGreaterThanOrEqual(38);
  });

  it('with the confident-joint method flags the off-diagonal examples of the confident joint', () => {
    const { confidentJoint, thresholds } = confidentLearning(clear.given, clear.probabilities);
    const offDiagonal = confidentJoint
      .flatMap((row, i) => row.filter((_, j) => j !== i))
      .reduce((a, b) => a + b, 0);
    const { suspects, precision } = scores(clear, 'confident-joint');
    expect(suspects).toHaveLength(offDiagonal);
    expect(precision).toBeGreaterThan(0.95);
    expect(thresholds.every((t) => t > 0.5 && t < 1)).toBe(true);
  });

  it('measures the share of suspects confirmed when relabelled', () => {
    const { suspects } = scores(hard);
    const queue = suspects.map((s) => ({ item: `r${s.index}`, given: String(s.given) }));
    // Relabel the first half of the queue with the true labels; the rest are pending.
    const relabels = new Map(
      suspects
        .slice(0, Math.ceil(suspects.length / 2))
        .map((s) => [`r${s.index}`, String(hard.truth[s.index])]),
    );
    const outcome = relabelOutcome(queue, relabels);
    const expected = suspects.slice(0, relabels.size).filter((s) => hard.truth[s.index] !== s.given).length;
    expect(outcome).toEqual({
      suspects: suspects.length,
      relabelled: relabels.size,
      confirmed: expected,
      confirmedShare: expected / relabels.size,
    });
  });

  it('refuses probabilities that do not match the labels', () => {
    expect(() => confidentLearning([0, 1], [[0.5, 0.5]])).toThrow(
      expect.objectContaining({ code: 'E_LABEL_AUDIT_INPUT' }),
    );
  });
});
