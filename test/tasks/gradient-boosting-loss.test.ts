import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipelines/random.ts';
import { boostingLossFor } from '../../pipelines/tasks/models/boosting-loss.ts';
import type { Task } from '../../pipelines/tasks/task.ts';

const cases: { task: Task; outcomes: number[]; ordinal?: 'softmax' }[] = [
  { task: { kind: 'binary', classes: ['no', 'yes'] }, outcomes: [0, 1, 1, 0, 1] },
  { task: { kind: 'multiclass', classes: ['a', 'b', 'c'] }, outcomes: [0, 2, 1, 1, 2] },
  { task: { kind: 'ordinal', classes: ['low', 'mid', 'high', 'top'] }, outcomes: [3, 0, 1, 2, 3, 1, 1] },
  { task: { kind: 'ordinal', classes: ['A', 'D', 'H'] }, outcomes: [2, 0, 1, 2], ordinal: 'softmax' },
  { task: { kind: 'regression' }, outcomes: [81.5, -2, 0, 12.25, 7] },
  { task: { kind: 'count' }, outcomes: [0, 3, 1, 7, 2] },
];

describe('boosting losses', () => {
  for (const { task, outcomes, ordinal } of cases) {
    const name = `${task.kind}${ordinal ? ` (${ordinal})` : ''}`;
    it(`gives the exact gradient and Hessian diagonal of the ${name} loss (central differences)`, () => {
      const loss = boostingLossFor(task, ordinal);
      const K = loss.outputs;
      const random = seededRandom(7);
      const n = outcomes.length;
      const raw = Float64Array.from({ length: n * K }, () => random() * 4 - 2);
      const y = Float64Array.from(outcomes);
      // The cumulative logit's cut points are set from the outcomes here.
      loss.init(y);
      const gradient = new Float64Array(n * K);
      const hessian = new Float64Array(n * K);
      loss.gradients(raw, y, gradient, hessian);
      const step = 1e-4;
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < K; k++) {
          const at = (delta: number) => {
            const shifted = Float64Array.from(raw);
            shifted[i * K + k]! += delta;
            return loss.rowLoss(shifted, i, y[i]!);
          };
          const numericG = (at(step) - at(-step)) / (2 * step);
          const numericH = (at(step) - 2 * at(0) + at(-step)) / (step * step);
          expect(gradient[i * K + k]).toBeCloseTo(numericG, 6);
          expect(hessian[i * K + k]).toBeCloseTo(numericH, 3);
          expect(Number.isFinite(gradient[i * K + k])).toBe(true);
          expect(hessian[i * K + k]).toBeGreaterThan(0);
        }
      }
    });

    it(`starts the ${name} loss at the constant that minimises it`, () => {
      const loss = boostingLossFor(task, ordinal);
      const K = loss.outputs;
      const y = Float64Array.from(outcomes);
      const init = loss.init(y);
      const raw = new Float64Array(y.length * K);
      for (let i = 0; i < y.length; i++) raw.set(init, i * K);
      const gradient = new Float64Array(y.length * K);
      loss.gradients(raw, y, gradient, new Float64Array(y.length * K));
      // At the minimising constant, the summed gradient of every raw score is zero.
      for (let k = 0; k < K; k++) {
        let total = 0;
        for (let i = 0; i < y.length; i++) total += gradient[i * K + k]!;
        expect(total).toBeCloseTo(0, 9);
      }
    });
  }
});

describe('cumulative logit', () => {
  it('moves its cut points to the maximum-likelihood ones for fixed scores, lowering the loss each step', () => {
    const random = seededRandom(3);
    const n = 5000;
    const trueCuts = [-1, 1.2];
    const raw = Float64Array.from({ length: n }, () => 6 * (random() - 0.5));
    const y = raw.map((f) => {
      const u = random();
      const below0 = 1 / (1 + Math.exp(-(trueCuts[0]! - f)));
      const below1 = 1 / (1 + Math.exp(-(trueCuts[1]! - f)));
      return u < below0 ? 0 : u < below1 ? 1 : 2;
    });
    const loss = boostingLossFor({ kind: 'ordinal', classes: ['a', 'b', 'c'] });
    loss.init(y);
    const total = () => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += loss.rowLoss(raw, i, y[i]!);
      return sum;
    };
    let previous = total();
    for (let step = 0; step < 15; step++) {
      loss.afterRound!(raw, y);
      const current = total();
      expect(current).toBeLessThanOrEqual(previous + 1e-9);
      previous = current;
    }
    const cuts = loss.thresholds!();
    expect(Math.abs(cuts[0]! - trueCuts[0]!)).toBeLessThan(0.15);
    expect(Math.abs(cuts[1]! - trueCuts[1]!)).toBeLessThan(0.15);
  });
});
