import { describe, expect, test } from 'vitest';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { architectureSvg } from '../../src/charts/architecture.ts';
import { jsonForScript } from '../../src/site-data/json-for-script.ts';

describe('jsonForScript', () => {
  test('escapes every character that could end a script block, and round-trips', () => {
    const value = { team: '</script><script>alert(1)</script>', amp: 'a & b', separators: '\u2028\u2029' };
    const text = jsonForScript(value);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('architectureSvg', () => {
  test('escapes text taken from the run', () => {
    const run = {
      runId: 'r',
      inputs: { dataset: { rows: 10, leagues: ['<b>x</b>'], transport: '<script>alert(1)</script>' } },
      task: { features: ['a'] },
      split: { train: { rows: 6 }, test: { rows: 4 } },
      models: [
        {
          id: '<i>m</i>',
          baseline: false,
          sizeBytes: 10,
          timings: { trainMs: 1, predictP50Us: 1, predictP99Us: 2 },
        },
      ],
      best: '<i>m</i>',
      stages: [],
    } as unknown as RunRecord;
    for (const columns of [3, 1]) {
      const svg = architectureSvg(run, columns);
      expect(svg).not.toContain('<script>');
      expect(svg).not.toContain('<i>');
      expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });
});
