import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bootstrapInterval,
  cohenKappa,
  fleissKappa,
  krippendorffAlpha,
  percentAgreement,
  type Rating,
  type Units,
} from '../../labelling/agreement.ts';
import type { LabelRecord } from '../../labelling/label-log.ts';
import { qualityReport } from '../../labelling/label-quality.ts';
import { seededRandom } from '../../labelling/seeded-random.ts';

const dot = (row: string): Rating[] => row.split(' ').map((v) => (v === '.' ? null : v));
const transpose = (coders: Rating[][]): Rating[][] => coders[0]!.map((_, u) => coders.map((c) => c[u]!));

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the example with four
// observers, twelve units and missing data; the paper gives α = .743 (nominal), .849 (interval).
const paper = transpose([
  dot('1 2 3 3 2 1 4 1 2 . . .'),
  dot('1 2 3 3 2 2 4 1 2 5 . 3'),
  dot('. 3 3 3 2 3 4 2 2 5 1 .'),
  dot('1 2 3 3 2 4 4 1 2 5 1 .'),
]);
// The example of the `krippendorff` package's documentation (3 coders, 15 units): 0.691358 nominal, 0.810845 interval.
const packageExample = transpose([
  dot('. . . . . 3 4 1 2 1 1 3 3 . 3'),
  dot('1 . 2 1 3 3 4 3 . . . . . . .'),
  dot('. . 2 1 3 4 4 . 2 1 1 3 3 . 4'),
]);
// Fleiss' κ worked example (10 subjects, 14 raters, 5 categories; κ = 0.210): counts per category.
const fleissCounts = [
  [0, 0, 0, 0, 14],
  [0, 2, 6, 4, 2],
  [0, 0, 3, 5, 6],
  [0, 3, 9, 2, 0],
  [2, 2, 8, 1, 1],
  [7, 7, 0, 0, 0],
  [3, 2, 6, 3, 0],
  [2, 5, 3, 2, 2],
  [6, 5, 2, 1, 0],
  [0, 2, 2, 3, 7],
];
const fleissUnits = fleissCounts.map((row) =>
  row.flatMap((count, c) => Array<Rating>(count).fill(String(c))),
);

/** Three coders over five ordered classes who mostly agree, with 20% of ratings missing. */
function simulated(units: number, seed: number, missing: number): Rating[][] {
  const random = seededRandom(seed);
  return Array.from({ length: units }, () => {
    const truth = Math.floor(random() * 5);
    return [0, 1, 2].map(() => {
      if (random() < missing) return null;
      const noise = random() < 0.3 ? (random() < 0.5 ? -1 : 1) : 0;
      return String(Math.min(4, Math.max(0, truth + noise)));
    });
  });
}

const order = ['0', '1', '2', '3', '4'];
const randomUnits = simulated(300, 11, 0.2);
const completeUnits = simulated(120, 12, 0);

function golden(): Record<string, Record<string, number>> {
  const cases = {
    paper: { units: paper, interval: true, order: ['1', '2', '3', '4', '5'] },
    packageExample: { units: packageExample, interval: true },
    fleiss: { units: fleissUnits, fleiss: true },
    random: { units: randomUnits, cohen: true, order },
    complete: { units: completeUnits, cohen: true, order, fleiss: true },
  };
  const script = join(import.meta.dirname, 'golden', 'agreement_golden.py');
  return JSON.parse(execFileSync('/usr/bin/python3', [script], { input: JSON.stringify(cases) }).toString());
}

describe('agreement statistics', () => {
  const expected = golden();

  it("matches the published values of Krippendorff's α and Fleiss' κ", () => {
    expect(krippendorffAlpha(paper, { level: 'nominal' }).toFixed(3)).toBe('0.743');
    expect(krippendorffAlpha(paper, { level: 'interval' }).toFixed(3)).toBe('0.849');
    expect(krippendorffAlpha(packageExample, { level: 'nominal' }).toFixed(6)).toBe('0.691358');
    expect(krippendorffAlpha(packageExample, { level: 'interval' }).toFixed(6)).toBe('0.810845');
    expect(fleissKappa(fleissUnits).toFixed(3)).toBe('0.210');
  });

  it("agrees with the golden implementation (numpy α, scikit-learn's κ) to 1e-6", () => {
    const close = (actual: number, wanted: number | undefined) =>
      expect(Math.abs(actual - wanted!)).toBeLessThan(1e-6);
    close(krippendorffAlpha(paper, { level: 'nominal' }), expected.paper!.alpha_nominal);
    close(
      krippendorffAlpha(paper, { level: 'ordinal', order: ['1', '2', '3', '4', '5'] }),
      expected.paper!.alpha_ordinal,
    );
    close(krippendorffAlpha(paper, { level: 'interval' }), expected.paper!.alpha_interval);
    close(fleissKappa(fleissUnits), expected.fleiss!.fleiss);
    for (const name of ['random', 'complete'] as const) {
      const units = name === 'random' ? randomUnits : completeUnits;
      const a = units.map((u) => u[0]!);
      const b = units.map((u) => u[1]!);
      close(cohenKappa(a, b), expected[name]!.cohen);
      close(cohenKappa(a, b, { weights: 'linear', order }), expected[name]!.cohen_linear);
      close(cohenKappa(a, b, { weights: 'quadratic', order }), expected[name]!.cohen_quadratic);
      close(krippendorffAlpha(units, { level: 'nominal' }), expected[name]!.alpha_nominal);
      close(krippendorffAlpha(units, { level: 'ordinal', order }), expected[name]!.alpha_ordinal);
    }
    close(fleissKappa(completeUnits), expected.complete!.fleiss);
  });

  it('computes percent agreement over jointly rated units', () => {
    expect(
      percentAgreement([
        ['a', 'a'],
        ['a', 'b'],
        ['b', null],
        ['b', 'b'],
      ]),
    ).toBeCloseTo(2 / 3, 12);
    expect(percentAgreement([['a', 'a', 'b']])).toBeCloseTo(1 / 3, 12);
  });

  it("refuses Fleiss' κ when units have different numbers of ratings", () => {
    expect(() => fleissKappa(randomUnits)).toThrow(
      expect.objectContaining({ code: 'E_AGREEMENT_UNEQUAL_RATINGS' }),
    );
  });

  it('gives a seeded bootstrap interval around the estimate that narrows with more units', () => {
    const alpha = (u: Units) => krippendorffAlpha(u, { level: 'nominal' });
    const small = bootstrapInterval(randomUnits.slice(0, 60), alpha, { seed: 5, resamples: 400 });
    const large = bootstrapInterval(randomUnits, alpha, { seed: 5, resamples: 400 });
    expect(bootstrapInterval(randomUnits, alpha, { seed: 5, resamples: 400 })).toEqual(large);
    for (const interval of [small, large]) {
      expect(interval.low).toBeLessThan(interval.estimate);
      expect(interval.high).toBeGreaterThan(interval.estimate);
    }
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
    expect(large.resamples).toBe(400);
  });
});

describe('the quality report of a label log', () => {
  const record = (
    seq: number,
    item: string,
    annotator: string,
    label: string,
    round: LabelRecord['round'] = 'queue',
  ): LabelRecord => ({
    type: 'label',
    seq,
    item,
    annotator,
    label,
    round,
    at: '2026-01-01T00:00:00.000Z',
    timeMs: 1000,
    guidelineVersion: 'v1',
  });

  it('computes agreement between two annotators, self-agreement on repeats, and gold accuracy', () => {
    const labels: LabelRecord[] = [];
    let seq = 0;
    completeUnits.forEach((unit, i) => {
      labels.push(record(++seq, `u${i}`, 'ana', unit[0]!));
      labels.push(record(++seq, `u${i}`, 'ben', unit[1]!));
      if (i % 10 === 0) labels.push(record(++seq, `u${i}`, 'ana', unit[2]!, 'self-overlap'));
    });
    const report = qualityReport(labels, {
      order,
      gold: [{ item: 'u0', label: completeUnits[0]![0]! }],
      resamples: 200,
    });
    const a = completeUnits.map((u) => u[0]!);
    const b = completeUnits.map((u) => u[1]!);
    expect(report.annotators).toEqual(['ana', 'ben']);
    expect(report.overlapItems).toBe(120);
    expect(report.cohenKappa!.estimate).toBeCloseTo(cohenKappa(a, b), 12);
    expect(report.krippendorffAlphaOrdinal!.estimate).toBeCloseTo(
      krippendorffAlpha(
        completeUnits.map((u) => [u[0]!, u[1]!]),
        { level: 'ordinal', order },
      ),
      12,
    );
    expect(report.fleissKappa!.low).toBeLessThan(report.fleissKappa!.high);
    expect(report.selfAgreement.pairs).toBe(12);
    expect(report.selfAgreement.cohenKappa!.estimate).toBeCloseTo(
      cohenKappa(
        completeUnits.filter((_, i) => i % 10 === 0).map((u) => u[0]!),
        completeUnits.filter((_, i) => i % 10 === 0).map((u) => u[2]!),
      ),
      12,
    );
    expect(report.gold).toEqual({
      ana: { items: 1, accuracy: 1 },
      ben: { items: 1, accuracy: completeUnits[0]![1] === completeUnits[0]![0] ? 1 : 0 },
    });
  });
});
