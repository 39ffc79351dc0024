import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../portfolio/atomic-write.ts';
import { hashValue } from '../portfolio/hash.ts';
import {
  LabelLogWriter,
  type LabelRecord,
  type LogContents,
  type NewLabel,
  type UndoRecord,
} from './label-log.ts';
import { LabelState } from './label-state.ts';
import { requireItem, requireLabel, type Task } from './load-task.ts';
import { acquireStoreLock } from './store-lock.ts';

export interface LabelStoreOptions {
  /** `fsync` (default) flushes every label to disk before acknowledging it; `write` only to the OS. */
  durability?: 'fsync' | 'write';
  now?: () => Date;
}

/** What a caller gives to record one label; the store adds time, guideline version and number. */
export interface LabelSubmission {
  item: string;
  label: unknown;
  annotator: string;
  timeMs?: number;
  round?: NewLabel['round'];
  suggestion?: NewLabel['suggestion'];
}

/**
 * A task's durable label store: the append-only log, locked against a second writer, with its
 * replayed state in memory. Every method that records validates first (unknown item or class is
 * an error naming it) and appends before returning, so a returned record is on disk.
 */
export class LabelStore {
  readonly task: Task;
  readonly path: string;
  readonly state: LabelState;
  /** What was found on opening: the torn last line of a crash, if any. */
  readonly opened: Pick<LogContents, 'torn'> & { records: number };
  private readonly writer: LabelLogWriter;
  private readonly release: () => void;
  private readonly now: () => Date;

  private constructor(
    task: Task,
    path: string,
    writer: LabelLogWriter,
    contents: LogContents,
    release: () => void,
    now: () => Date,
  ) {
    this.task = task;
    this.path = path;
    this.writer = writer;
    this.release = release;
    this.now = now;
    this.state = LabelState.replay(contents.records);
    this.opened = { torn: contents.torn, records: contents.records.length };
  }

  /** Opens (creating if needed) the log at `path` for `task`, taking its lock. */
  static async open(task: Task, path: string, options: LabelStoreOptions = {}): Promise<LabelStore> {
    await mkdir(dirname(path), { recursive: true });
    const now = options.now ?? (() => new Date());
    const release = acquireStoreLock(`${path}.lock`, path, now);
    try {
      const { writer, contents } = await LabelLogWriter.open(path, options.durability ?? 'fsync');
      return new LabelStore(task, path, writer, contents, release, now);
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Records one label; returns it once it is in the log. */
  submit(submission: LabelSubmission): LabelRecord {
    return this.submitMany([submission], 'label submission')[0]!;
  }

  /**
   * Records many labels in one write after validating all of them, so a bad one (named with its
   * position in `where`) records none.
   */
  submitMany(submissions: readonly LabelSubmission[], where: string): LabelRecord[] {
    const at = this.now().toISOString();
    const drafts: Omit<LabelRecord, 'seq'>[] = submissions.map((s, i) => {
      const here = submissions.length > 1 ? `${where} [${i}]` : where;
      requireItem(this.task, s.item, here);
      requireLabel(this.task, s.label, here);
      const label = Array.isArray(s.label) ? [...new Set(s.label)].sort() : s.label;
      return {
        type: 'label',
        item: s.item,
        label,
        annotator: s.annotator,
        at,
        timeMs: Math.max(0, Math.round(s.timeMs ?? 0)),
        guidelineVersion: this.task.declaration.guidelines.version,
        round: s.round ?? 'queue',
        ...(s.suggestion ? { suggestion: s.suggestion } : {}),
      };
    });
    const records = this.writer.append(drafts);
    for (const record of records) this.state.apply(record);
    return records;
  }

  /** Withdraws `annotator`'s most recent standing label; returns the undo, or undefined if none. */
  undoLast(annotator: string): { undo: UndoRecord; undone: LabelRecord } | undefined {
    const last = this.state.lastOf(annotator);
    if (!last) return undefined;
    const [undo] = this.writer.append([
      { type: 'undo' as const, undoes: last.seq, item: last.item, annotator, at: this.now().toISOString() },
    ]);
    this.state.apply(undo!);
    return { undo: undo!, undone: last };
  }

  /** The current labels' content-addressed snapshot, written to `<log dir>/snapshots/<hash>.jsonl`. */
  async writeSnapshot(): Promise<{ id: string; path: string; labels: number }> {
    const labels = this.state.current();
    const id = snapshotId(labels);
    const path = join(dirname(this.path), 'snapshots', `${id.replace(':', '-')}.jsonl`);
    await writeFileAtomic(path, labels.map((l) => `${JSON.stringify(l)}\n`).join(''));
    return { id, path, labels: labels.length };
  }

  /** Closes the log and releases the lock. */
  close(): void {
    this.writer.close();
    this.release();
  }
}

/**
 * The content hash of a set of current labels: what each annotator said about each item, under
 * which guidelines. Time and order do not enter, so the same labels give the same id.
 */
export function snapshotId(labels: readonly LabelRecord[]): string {
  const canonical = labels
    .map((l) => [l.item, l.annotator, l.label, l.guidelineVersion] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0) : a[0] < b[0] ? -1 : 1));
  return `sha256:${hashValue(canonical)}`;
}
