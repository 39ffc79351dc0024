import { describe, expect, it } from 'vitest';
import { runIdFor } from '../../pipelines/runs/run-record.ts';

describe('runIdFor', () => {
  it('orders two runs made in the same second by time, whatever their keys', () => {
    const earlier = runIdFor(new Date('2026-11-29T23:00:05.123Z'), 'ffffffff0000');
    const later = runIdFor(new Date('2026-11-29T23:00:05.456Z'), '00000000ffff');
    expect(earlier).toBe('20261129T230005123Z-ffffffff');
    // Run folders sort by name, and the last is the latest run.
    expect([later, earlier].sort()).toEqual([earlier, later]);
  });
});
