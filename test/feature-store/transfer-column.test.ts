import { describe, expect, it } from 'vitest';
import { transferColumn, transferredValue } from '../../pipelines/feature-store/transfer-column.ts';

describe('columns crossing to the guard’s worker threads', () => {
  it.each([
    ['text', ['Scotland', 'England', 'Scotland', '', 'Wales'], 'codes'],
    ['numbers, with -0 and NaN', [1, -0, 0, Number.NaN, 2.5], 'values'],
    ['text with a missing value', ['a', undefined, 'b', null], 'values'],
    ['text and booleans', ['TRUE', true, 'FALSE'], 'values'],
  ] as [string, unknown[], string][])(
    '%s: every row reads back the same value (Object.is)',
    (_, values, kind) => {
      const column = structuredClone(transferColumn(values));
      expect(kind in column).toBe(true);
      const same = values.map((value, i) => Object.is(transferredValue(column, i), value));
      expect(same).toEqual(values.map(() => true));
    },
  );

  it('sends each distinct string once', () => {
    const column = transferColumn(['x', 'y', 'x', 'x', 'y']);
    expect(column).toEqual({ codes: Int32Array.from([0, 1, 0, 0, 1]), text: ['x', 'y'] });
  });
});
