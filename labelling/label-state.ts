import type { LabelRecord, LogRecord } from './label-log.ts';

/**
 * The labels a log amounts to, by replay: every label not withdrawn by an undo, and per item and
 * annotator the latest of them (the current label). Undoing a relabel brings the earlier label back.
 */
export class LabelState {
  private readonly byKey = new Map<string, LabelRecord[]>();
  private readonly stacks = new Map<string, LabelRecord[]>();
  private readonly bySeq = new Map<number, LabelRecord>();
  private readonly counts = new Map<string, number>();

  static replay(records: Iterable<LogRecord>): LabelState {
    const state = new LabelState();
    for (const record of records) state.apply(record);
    return state;
  }

  apply(record: LogRecord): void {
    if (record.type === 'label') {
      const key = pairKey(record.annotator, record.item);
      const list = this.byKey.get(key);
      if (list?.length) list.push(record);
      else {
        this.byKey.set(key, [record]);
        this.counts.set(record.annotator, (this.counts.get(record.annotator) ?? 0) + 1);
      }
      const stack = this.stacks.get(record.annotator);
      if (stack) stack.push(record);
      else this.stacks.set(record.annotator, [record]);
      this.bySeq.set(record.seq, record);
      return;
    }
    const target = this.bySeq.get(record.undoes);
    if (!target) return;
    this.bySeq.delete(record.undoes);
    const list = this.byKey.get(pairKey(target.annotator, target.item));
    remove(list, target);
    if (list && list.length === 0)
      this.counts.set(target.annotator, (this.counts.get(target.annotator) ?? 1) - 1);
    remove(this.stacks.get(target.annotator), target);
  }

  /** The annotator's most recent label still standing. */
  lastOf(annotator: string): LabelRecord | undefined {
    return this.stacks.get(annotator)?.at(-1);
  }

  /** The annotator's current label of `item`. */
  labelOf(annotator: string, item: string): LabelRecord | undefined {
    return this.byKey.get(pairKey(annotator, item))?.at(-1);
  }

  /** Every standing label, in log order (includes relabels and self-overlap repeats). */
  standing(): LabelRecord[] {
    return [...this.bySeq.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The current label of each (item, annotator), in log order of those labels. */
  current(): LabelRecord[] {
    const out: LabelRecord[] = [];
    for (const list of this.byKey.values()) {
      const last = list.at(-1);
      if (last) out.push(last);
    }
    return out.sort((a, b) => a.seq - b.seq);
  }

  /** Items `annotator` has a current label for. */
  labelledBy(annotator: string): Set<string> {
    const items = new Set<string>();
    for (const record of this.stacks.get(annotator) ?? []) items.add(record.item);
    return items;
  }

  /** How many distinct items `annotator` has a current label for. */
  countOf(annotator: string): number {
    return this.counts.get(annotator) ?? 0;
  }

  annotators(): string[] {
    return [...this.stacks.keys()].filter((a) => (this.stacks.get(a)?.length ?? 0) > 0);
  }
}

function pairKey(annotator: string, item: string): string {
  return `${annotator}\u0000${item}`;
}

function remove(list: LabelRecord[] | undefined, record: LabelRecord): void {
  if (!list) return;
  const index = list.lastIndexOf(record);
  if (index !== -1) list.splice(index, 1);
}
