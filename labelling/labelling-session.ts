import type { LabelRecord, LabelRound, SuggestionShown } from './label-log.ts';
import type { LabelStore } from './label-store.ts';
import { buildQueue, chosenForSelfOverlap, type QueueEntry } from './queue.ts';
import type { LabelItem } from './task-items.ts';

/** What the page shows next: the item, why it is shown, the suggestion, and progress. */
export interface NextItem {
  item: LabelItem;
  round: LabelRound;
  /** Position in the queue (0-based), or -1 for a self-overlap repeat. */
  position: number;
  suggestion?: SuggestionShown;
  /** This annotator's current label of the item, if any (shown when moving back). */
  current?: LabelRecord['label'];
}

export interface Progress {
  labelled: number;
  total: number;
  annotator: string;
}

export interface SessionOptions {
  probabilities?: ReadonlyMap<string, readonly number[]>;
  /** Suggestions per item id (e.g. a model's or a label model's argmax). */
  suggestions?: ReadonlyMap<string, SuggestionShown>;
  /**
   * Items already settled elsewhere (labelled by labelling functions): left out of the queue, except
   * gold items, which every annotator is measured on.
   */
  settled?: ReadonlySet<string>;
}

/**
 * One task's labelling: the queue over the store's items, per annotator. `next` skips items the
 * annotator has labelled and brings back a share of them (`selfOverlapShare`) `selfOverlapGap`
 * labels later. Cheap per call: cursors only move forward, except after an undo.
 */
export class LabellingSession {
  readonly store: LabelStore;
  readonly queue: QueueEntry[];
  private readonly positionOf = new Map<string, number>();
  private readonly cursors = new Map<string, number>();
  private readonly repeats = new Map<string, { item: string; dueAt: number }[]>();
  private readonly options: SessionOptions;

  constructor(store: LabelStore, options: SessionOptions = {}) {
    this.store = store;
    this.options = options;
    const declaration = store.task.declaration;
    const gold = new Set(declaration.gold.map((g) => g.item));
    this.queue = buildQueue({
      items: store.task.items,
      sampling: declaration.sampling,
      ...(options.probabilities ? { probabilities: options.probabilities } : {}),
      gold,
    }).filter((entry) => gold.has(entry.item) || !options.settled?.has(entry.item));
    for (const [i, entry] of this.queue.entries()) this.positionOf.set(entry.item, i);
    for (const record of store.state.standing()) this.noteRepeat(record);
  }

  /** The next item for `annotator`, or undefined when the queue is done. */
  next(annotator: string): NextItem | undefined {
    const count = this.primaryCount(annotator);
    const due = this.repeats.get(annotator);
    if (due?.length && due[0]!.dueAt <= count) {
      const { item } = due[0]!;
      return this.describe(item, 'self-overlap', -1, annotator);
    }
    let cursor = this.cursors.get(annotator) ?? 0;
    const state = this.store.state;
    while (cursor < this.queue.length && state.labelOf(annotator, this.queue[cursor]!.item)) cursor++;
    this.cursors.set(annotator, cursor);
    const entry = this.queue[cursor];
    if (!entry) return due?.length ? this.describe(due[0]!.item, 'self-overlap', -1, annotator) : undefined;
    return this.describe(entry.item, entry.reason === 'sampler' ? 'queue' : entry.reason, cursor, annotator);
  }

  /** The item `id` as the page shows it (for moving back to a labelled item). */
  describe(id: string, round: LabelRound, position: number, annotator: string): NextItem {
    const item = this.store.task.items[this.store.task.itemIndex.get(id)!]!;
    const suggestion = this.options.suggestions?.get(id);
    const current = this.store.state.labelOf(annotator, id)?.label;
    return {
      item,
      round,
      position,
      ...(suggestion ? { suggestion } : {}),
      ...(current !== undefined && round !== 'self-overlap' ? { current } : {}),
    };
  }

  /**
   * The round a label of `id` belongs to when the annotator returns to it: a relabel if they have
   * labelled it, otherwise the reason it stands in the queue.
   */
  roundOf(id: string, annotator: string): LabelRound {
    if (this.store.state.labelOf(annotator, id)) return 'relabel';
    const reason = this.queue[this.positionOf.get(id) ?? -1]?.reason;
    return reason === 'evaluation' || reason === 'gold' ? reason : 'queue';
  }

  /** Tells the session a label was recorded (keeps self-overlap bookkeeping). */
  recorded(record: LabelRecord): void {
    if (record.round === 'self-overlap') {
      const due = this.repeats.get(record.annotator);
      const i = due?.findIndex((d) => d.item === record.item) ?? -1;
      if (i >= 0) due!.splice(i, 1);
      return;
    }
    this.noteRepeat(record);
  }

  /** Tells the session a label was withdrawn: its item returns to the queue. */
  undone(record: LabelRecord): void {
    const position = this.positionOf.get(record.item);
    const cursor = this.cursors.get(record.annotator) ?? 0;
    if (position !== undefined && position < cursor) this.cursors.set(record.annotator, position);
    const due = this.repeats.get(record.annotator);
    if (record.round !== 'self-overlap' && due) {
      const i = due.findIndex((d) => d.item === record.item);
      if (i >= 0) due.splice(i, 1);
    } else if (record.round === 'self-overlap') this.noteRepeat({ ...record, round: 'queue' }, true);
  }

  progress(annotator: string): Progress {
    return { labelled: this.store.state.countOf(annotator), total: this.queue.length, annotator };
  }

  private primaryCount(annotator: string): number {
    return this.store.state.countOf(annotator);
  }

  private noteRepeat(record: LabelRecord, force = false): void {
    const sampling = this.store.task.declaration.sampling;
    if (record.round === 'self-overlap') {
      const due = this.repeats.get(record.annotator);
      const i = due?.findIndex((d) => d.item === record.item) ?? -1;
      if (i >= 0) due!.splice(i, 1);
      return;
    }
    if (record.round !== 'queue' && record.round !== 'evaluation') return;
    if (!force && !chosenForSelfOverlap(record.item, sampling)) return;
    const list = this.repeats.get(record.annotator) ?? [];
    if (!list.some((d) => d.item === record.item)) {
      list.push({ item: record.item, dueAt: this.primaryCount(record.annotator) + sampling.selfOverlapGap });
      this.repeats.set(record.annotator, list);
    }
  }
}
