import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diverseBatchOrder } from '../../labelling/diverse-batch.ts';
import { LabelStore } from '../../labelling/label-store.ts';
import { LabellingSession } from '../../labelling/labelling-session.ts';
import { loadTaskFile } from '../../labelling/load-task.ts';
import { buildQueue, type Sampling } from '../../labelling/queue.ts';
import type { LabelItem } from '../../labelling/task-items.ts';
import { samplingSchema } from '../../labelling/task-spec.ts';
import { uncertainty } from '../../labelling/uncertainty.ts';
import { writeCompetitionTask } from './task-fixture.ts';

const items: LabelItem[] = Array.from({ length: 200 }, (_, i) => ({
  id: `i${i}`,
  context: {},
  features: [i % 10, Math.floor(i / 10)],
}));
// Class probabilities whose uncertainty rises with the item number.
const probabilities = new Map(items.map((item, i) => [item.id, [1 - i / 400, i / 800, i / 800]]));
const sampling = (overrides: Partial<Sampling> = {}): Sampling => ({
  ...samplingSchema.parse({}),
  seed: 42,
  ...overrides,
});

describe('uncertainty measures', () => {
  it('computes least confidence, margin and entropy', () => {
    expect(uncertainty([0.7, 0.2, 0.1], 'least-confidence')).toBeCloseTo(0.3, 12);
    expect(uncertainty([0.7, 0.2, 0.1], 'margin')).toBeCloseTo(0.5, 12);
    expect(uncertainty([0.5, 0.5], 'entropy')).toBeCloseTo(Math.log(2), 12);
    expect(uncertainty([1, 0], 'entropy')).toBe(0);
  });
});

describe('the queue', () => {
  it('gives the same order for the same seed and another for another seed', () => {
    const a = buildQueue({ items, sampling: sampling() });
    expect(buildQueue({ items, sampling: sampling() })).toEqual(a);
    expect(buildQueue({ items, sampling: sampling({ seed: 43 }) })).not.toEqual(a);
  });

  it('keeps the same random 10% evaluation set whatever the strategy, spread through the queue', () => {
    const random = buildQueue({ items, sampling: sampling() });
    const evaluation = (q: typeof random) =>
      new Set(q.filter((e) => e.reason === 'evaluation').map((e) => e.item));
    expect(evaluation(random).size).toBe(20);
    for (const strategy of ['least-confidence', 'margin', 'entropy', 'diverse-batch'] as const) {
      const q = buildQueue({ items, sampling: sampling({ strategy }), probabilities });
      expect(evaluation(q)).toEqual(evaluation(random));
      expect(new Set(q.map((e) => e.item)).size).toBe(200);
    }
    // One evaluation item in every ten positions.
    for (let start = 0; start < 200; start += 10) {
      expect(random.slice(start, start + 10).filter((e) => e.reason === 'evaluation')).toHaveLength(1);
    }
  });

  it('puts the most uncertain items first under least confidence, margin and entropy', () => {
    for (const strategy of ['least-confidence', 'margin', 'entropy'] as const) {
      const q = buildQueue({ items, sampling: sampling({ strategy }), probabilities }).filter(
        (e) => e.reason === 'sampler',
      );
      const numbers = q.map((e) => Number(e.item.slice(1)));
      expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    }
  });

  it('refuses an uncertainty strategy without probabilities', () => {
    expect(() => buildQueue({ items, sampling: sampling({ strategy: 'margin' }) })).toThrow(
      expect.objectContaining({ code: 'E_LABEL_SAMPLER_NEEDS_PROBABILITIES' }),
    );
  });
});

describe('the diversity-aware batch', () => {
  it('spreads a batch over clusters where pure uncertainty would take one cluster', () => {
    // Two clusters: A slightly more uncertain than B. A batch of 4 should take from both.
    const candidates = Array.from({ length: 40 }, (_, i) => ({
      index: i,
      uncertainty: i < 20 ? 0.9 - i * 0.001 : 0.8 - i * 0.001,
      features: i < 20 ? [0 + (i % 5) * 0.01, 0] : [10 + (i % 5) * 0.01, 10],
    }));
    const batch = diverseBatchOrder(candidates, 4).slice(0, 4);
    expect(batch[0]).toBe(0);
    expect(batch.filter((i) => i >= 20).length).toBeGreaterThanOrEqual(1);
    const byUncertainty = [...candidates].sort((a, b) => b.uncertainty - a.uncertainty).slice(0, 4);
    expect(byUncertainty.every((c) => c.index < 20)).toBe(true);
  });
});

describe('a labelling session', () => {
  it('skips labelled items, brings a share back later for self-overlap, and returns an undone item', async () => {
    const dir = await writeCompetitionTask(60, {
      sampling: {
        strategy: 'random',
        seed: 3,
        evaluationShare: 0.1,
        selfOverlapShare: 0.2,
        selfOverlapGap: 5,
      },
    });
    const task = await loadTaskFile(dir);
    const store = await LabelStore.open(task, join(dir, 'labels.jsonl'), { durability: 'write' });
    const session = new LabellingSession(store);
    const shown: { item: string; round: string }[] = [];
    for (let n = 0; n < 40; n++) {
      const next = session.next('ana')!;
      shown.push({ item: next.item.id, round: next.round });
      session.recorded(
        store.submit({ item: next.item.id, label: 'friendly', annotator: 'ana', round: next.round }),
      );
    }
    const repeats = shown.filter((s) => s.round === 'self-overlap');
    expect(repeats.length).toBeGreaterThan(0);
    for (const repeat of repeats) {
      const first = shown.findIndex((s) => s.item === repeat.item);
      expect(shown[first]!.round).not.toBe('self-overlap');
      expect(shown.indexOf(repeat) - first).toBeGreaterThanOrEqual(5);
    }
    expect(new Set(repeats.map((r) => r.item)).size).toBe(repeats.length);

    const before = session.next('ana')!.item.id;
    const undone = store.undoLast('ana')!.undone;
    session.undone(undone);
    expect(session.next('ana')!.item.id).toBe(undone.round === 'self-overlap' ? before : undone.item);
    expect(session.progress('ana').total).toBe(60);
    store.close();
  });

  it('resumes at the first unlabelled item after a restart', async () => {
    const dir = await writeCompetitionTask(30);
    const task = await loadTaskFile(dir);
    const path = join(dir, 'labels.jsonl');
    const store = await LabelStore.open(task, path, { durability: 'write' });
    const session = new LabellingSession(store);
    for (let n = 0; n < 7; n++)
      store.submit({ item: session.next('ana')!.item.id, label: 'other', annotator: 'ana' });
    const expected = session.next('ana')!.item.id;
    store.close();
    const again = await LabelStore.open(task, path, { durability: 'write' });
    expect(new LabellingSession(again).next('ana')!.item.id).toBe(expected);
    expect(new LabellingSession(again).progress('ana').labelled).toBe(7);
    again.close();
  });
});
