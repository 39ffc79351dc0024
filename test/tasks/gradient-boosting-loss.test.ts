import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../pipelines/random.ts';
import { boostingLossFor } from '../../pipelines/tasks/models/boosting-loss.ts';
import type { Task } from '../../pipelines/tasks/task.ts';

const cases: { task: Task; outcomes: number[] }[] = [
  { task: { kind: 'binary', classes: ['no', 'yes'] }, outcomes: [0, 1, 1, 0, 1] },
  { task: { kind: 'multiclass', classes: ['a', 'b', 'c'] }, outcomes: [0, 2, 1, 1, 2] },
  { task: { kind: 'ordinal', classes: ['low', 'mid', 'high', 'top'] }, outcomes: [3, 0, 1, 2, 3] },
  { task: { kind: 'regression' }, outcomes: [81.5, -2, 0, 12.25, 7] },
  { task: { kind: 'count' }, outcomes: [0, 3, 1, 7, 2] },
];

describe('boosting losses', () => {
  for (const { task, outcomes } of cases) {
    it(`gives the exact gradient and Hessian diagonal of the ${task.kind} loss (central differences)`, () => {
      const loss = boostingLossFor(task);
      const K = loss.outputs;
      const random = seededRandom(7);
      const n = outcomes.length;
      const raw = Float64Array.from({ length: n * K }, () => random() * 4 - 2);
      const y = Float64Array.from(outcomes);
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
          expect(hessian[i * K + k]).toBeGreaterThan(0);
        }
      }
    });

    it(`starts the ${task.kind} loss at the constant that minimises it`, () => {
      const loss = boostingLossFor(task);
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
