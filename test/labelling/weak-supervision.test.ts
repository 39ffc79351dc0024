import { describe, expect, it } from 'vitest';
import { dawidSkene, majorityVote, suggestionOf } from '../../labelling/label-model.ts';
import {
  applyLabellingFunctions,
  labellingFunctionTable,
  type Votes,
} from '../../labelling/labelling-functions.ts';
import { loadTaskFile } from '../../labelling/load-task.ts';
import { seededRandom } from '../../labelling/seeded-random.ts';
import { competitionClasses, writeCompetitionTask } from './task-fixture.ts';

describe('labelling functions', () => {
  it('vote by field conditions and abstain otherwise; the table gives coverage, overlap and conflict', async () => {
    const dir = await writeCompetitionTask(40, {
      labellingFunctions: [
        {
          name: 'world-cup-finals',
          label: 'world-cup',
          when: [
            { field: 'tournament', op: 'contains', value: 'FIFA World Cup' },
            { field: 'tournament', op: 'not-contains', value: 'qualification' },
          ],
        },
        {
          name: 'any-qualification',
          label: 'qualifier',
          when: [{ field: 'tournament', op: 'contains', value: 'QUALIFICATION' }],
        },
        {
          name: 'friendly',
          label: 'friendly',
          when: [{ field: 'tournament', op: 'equals', value: 'friendly' }],
        },
        {
          name: 'fifa-anything',
          label: 'world-cup',
          when: [{ field: 'tournament', op: 'matches', value: '^fifa' }],
        },
      ],
    });
    const task = await loadTaskFile(dir);
    const lfs = task.declaration.labellingFunctions;
    const votes = applyLabellingFunctions(task.items, lfs, task.classes);
    const row = (id: string) =>
      Array.from(votes.data.subarray(task.itemIndex.get(id)! * 4, task.itemIndex.get(id)! * 4 + 4));
    // m0001 is "FIFA World Cup", m0002 "UEFA Euro qualification" (see the fixture).
    expect(task.items[0]!.context.tournament).toBe('FIFA World Cup');
    expect(row('m0001')).toEqual([0, -1, -1, 0]);
    const qualifier = task.items.find((i) => i.context.tournament === 'FIFA World Cup qualification')!;
    expect(row(qualifier.id)).toEqual([-1, 2, -1, 0]);

    const table = labellingFunctionTable(votes, lfs);
    const share = (t: string) => task.items.filter((i) => i.context.tournament === t).length / 40;
    expect(table[0]).toMatchObject({
      name: 'world-cup-finals',
      coverage: share('FIFA World Cup'),
      overlap: share('FIFA World Cup'),
      conflict: 0,
    });
    expect(table[1]!.coverage).toBeCloseTo(
      share('FIFA World Cup qualification') + share('UEFA Euro qualification'),
      12,
    );
    expect(table[1]!.conflict).toBeCloseTo(share('FIFA World Cup qualification'), 12);
    expect(table[3]!.conflict).toBeCloseTo(share('FIFA World Cup qualification'), 12);
  });

  it('rejects a labelling function voting a class the task does not have', async () => {
    const dir = await writeCompetitionTask(5, {
      labellingFunctions: [
        { name: 'bad', label: 'final', when: [{ field: 'tournament', op: 'contains', value: 'x' }] },
      ],
    });
    await expect(loadTaskFile(dir)).rejects.toMatchObject({
      code: 'E_LABEL_UNKNOWN_CLASS',
      message: expect.stringContaining('labellingFunctions[0] ("bad")'),
    });
  });
});

/** Simulated annotators with known confusion matrices, each item labelled by three of them. */
function simulate(seed: number) {
  const random = seededRandom(seed);
  const k = 3;
  const priors = [0.5, 0.3, 0.2];
  const confusions = [
    [
      [0.9, 0.05, 0.05],
      [0.05, 0.9, 0.05],
      [0.05, 0.05, 0.9],
    ],
    [
      [0.7, 0.2, 0.1],
      [0.2, 0.7, 0.1],
      [0.1, 0.2, 0.7],
    ],
    // Confuses class 2 with 1 most of the time.
    [
      [0.85, 0.1, 0.05],
      [0.05, 0.9, 0.05],
      [0.05, 0.6, 0.35],
    ],
    [
      [0.6, 0.2, 0.2],
      [0.2, 0.6, 0.2],
      [0.2, 0.2, 0.6],
    ],
    [
      [0.95, 0.03, 0.02],
      [0.1, 0.8, 0.1],
      [0.02, 0.03, 0.95],
    ],
  ];
  const draw = (p: readonly number[]) => {
    const u = random();
    let cumulative = 0;
    for (let c = 0; c < p.length; c++) {
      cumulative += p[c]!;
      if (u < cumulative) return c;
    }
    return p.length - 1;
  };
  const items = 3000;
  const truth: number[] = [];
  const data = new Int32Array(items * confusions.length).fill(-1);
  for (let i = 0; i < items; i++) {
    const t = draw(priors);
    truth.push(t);
    const chosen = new Set<number>();
    while (chosen.size < 3) chosen.add(Math.floor(random() * confusions.length));
    for (const a of chosen) data[i * confusions.length + a] = draw(confusions[a]![t]!);
  }
  const votes: Votes = { items, voters: confusions.length, data };
  return { votes, truth, confusions, priors, k };
}

describe('the label model', () => {
  const { votes, truth, confusions, priors, k } = simulate(1979);
  const result = dawidSkene(votes, k);
  const accuracy = (posteriors: (Float64Array | null)[]) =>
    posteriors.filter((p, i) => p && p.indexOf(Math.max(...p)) === truth[i]).length / truth.length;

  it('Dawid–Skene recovers the known annotator confusion matrices and class priors', () => {
    expect(result.converged).toBe(true);
    console.log(`Dawid–Skene converged in ${result.iterations} iterations`);
    // The confusion each simulated annotator actually showed (the generating one plus sampling noise).
    const empirical = confusions.map(() => Array.from({ length: k }, () => Array<number>(k).fill(0)));
    for (let i = 0; i < truth.length; i++) {
      for (let a = 0; a < confusions.length; a++) {
        const given = votes.data[i * confusions.length + a]!;
        if (given >= 0) empirical[a]![truth[i]!]![given]!++;
      }
    }
    let worstEmpirical = 0;
    let worstGenerating = 0;
    for (let a = 0; a < confusions.length; a++) {
      for (let t = 0; t < k; t++) {
        const row = empirical[a]![t]!;
        const total = row.reduce((x, y) => x + y, 0);
        for (let g = 0; g < k; g++) {
          const estimate = result.confusion[a]![t]![g]!;
          worstEmpirical = Math.max(worstEmpirical, Math.abs(estimate - row[g]! / total));
          worstGenerating = Math.max(worstGenerating, Math.abs(estimate - confusions[a]![t]![g]!));
        }
      }
    }
    console.log(
      `largest error of a confusion cell: ${worstEmpirical.toFixed(3)} against the realised, ${worstGenerating.toFixed(3)} against the generating matrices`,
    );
    expect(worstEmpirical).toBeLessThan(0.04);
    // About 360 items of class 2 per annotator: a cell of the generating matrix is known to ±0.075 (3 s.e.) at best.
    expect(worstGenerating).toBeLessThan(0.12);
    for (let c = 0; c < k; c++) expect(Math.abs(result.priors[c]! - priors[c]!)).toBeLessThan(0.03);
    expect(dawidSkene(votes, k, { maxIterations: 5 }).posteriors).toEqual(
      dawidSkene(votes, k, { maxIterations: 5 }).posteriors,
    );
  });

  it('Dawid–Skene labels more items right than majority vote when annotators differ in skill', () => {
    const ds = accuracy(result.posteriors);
    const mv = accuracy(majorityVote(votes, k));
    console.log(
      `label model on 3,000 simulated items, 3 of 5 annotators each: Dawid–Skene ${ds.toFixed(3)}, majority vote ${mv.toFixed(3)}`,
    );
    expect(ds).toBeGreaterThan(mv + 0.01);
  });

  it('turns probabilistic labels into suggestions with their confidence', () => {
    const classes = competitionClasses.slice(0, 3);
    expect(suggestionOf(Float64Array.from([0.2, 0.7, 0.1]), classes, 'dawid-skene')).toEqual({
      label: 'continental',
      confidence: 0.7,
      source: 'dawid-skene',
    });
    expect(suggestionOf(null, classes, 'dawid-skene')).toBeUndefined();
  });
});
