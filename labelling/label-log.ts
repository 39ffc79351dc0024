import {
  closeSync,
  fdatasyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MlfolioError } from '../portfolio/errors.ts';

/** One class, or a set of classes for a multi-label task. */
export type LabelValue = string | string[];

/** Why an item was shown: the queue, a repeat for intra-annotator agreement, a gold item, an import, an audit relabel. */
export type LabelRound = 'queue' | 'evaluation' | 'self-overlap' | 'gold' | 'import' | 'relabel';

export interface SuggestionShown {
  label: LabelValue;
  confidence: number;
  /** What made it: a model, a label model over labelling functions… */
  source: string;
}

/** A label as the log stores it. `seq` is its line number (1-based) in the log. */
export interface LabelRecord {
  type: 'label';
  seq: number;
  item: string;
  label: LabelValue;
  annotator: string;
  /** ISO time the label was submitted. */
  at: string;
  /** Time on item, ms. */
  timeMs: number;
  guidelineVersion: string;
  round: LabelRound;
  suggestion?: SuggestionShown;
}

/** Withdraws the label at line `undoes`. */
export interface UndoRecord {
  type: 'undo';
  seq: number;
  undoes: number;
  item: string;
  annotator: string;
  at: string;
}

export type LogRecord = LabelRecord | UndoRecord;
export type NewLabel = Omit<LabelRecord, 'type' | 'seq'>;

/** The records of a log, and the torn last line if a crash cut one short. */
export interface LogContents {
  records: LogRecord[];
  /** A last line without its newline that does not parse: a write cut short, never acknowledged. */
  torn?: { line: number; bytes: number; text: string };
  /** Byte length of the complete lines. */
  validBytes: number;
}

/**
 * Reads a label log. A torn last line is reported, not thrown (a crash mid-write leaves one, and it
 * was never acknowledged); a bad line before the end is corruption and throws `E_LABEL_LOG_CORRUPT`
 * naming the line. A missing file is an empty log.
 */
export function readLabelLog(path: string): LogContents {
  let buffer: Buffer;
  try {
    buffer = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], validBytes: 0 };
    throw error;
  }
  const records: LogRecord[] = [];
  let start = 0;
  let line = 0;
  while (start < buffer.length) {
    const end = buffer.indexOf(10, start);
    line++;
    if (end === -1) {
      const text = buffer.subarray(start).toString('utf8');
      const record = parseRecord(text);
      // A complete record missing only its newline is kept; anything else is a torn write.
      if (record && record.seq === records.length + 1) {
        records.push(record);
        return { records, validBytes: buffer.length, torn: undefined };
      }
      return { records, validBytes: start, torn: { line, bytes: buffer.length - start, text } };
    }
    const text = buffer.subarray(start, end).toString('utf8');
    const record = parseRecord(text);
    if (!record || record.seq !== records.length + 1) {
      throw new MlfolioError({
        code: 'E_LABEL_LOG_CORRUPT',
        message: `${path}, line ${line}: ${record ? `expected record number ${records.length + 1}, found ${record.seq}` : 'not a label record'}: ${JSON.stringify(text.slice(0, 200))}.`,
        hint: 'The log was edited by hand or two writers interleaved. Restore it from a snapshot or fix the line; earlier lines are intact.',
      });
    }
    records.push(record);
    start = end + 1;
  }
  return { records, validBytes: buffer.length };
}

function parseRecord(text: string): LogRecord | undefined {
  try {
    const value = JSON.parse(text) as LogRecord;
    if ((value.type === 'label' || value.type === 'undo') && Number.isInteger(value.seq)) return value;
  } catch {}
  return undefined;
}

/**
 * An append-only log file opened for writing. `append` returns only once the line is written
 * (and, with `durability: 'fsync'`, flushed to disk), so a caller acknowledges a label only after
 * it would survive `kill -9` (or, with fsync, a power cut). A torn last line found on opening is
 * moved aside to `<log>.torn` and cut off, so new lines never follow half a line.
 */
export class LabelLogWriter {
  readonly path: string;
  readonly durability: 'fsync' | 'write';
  private fd: number;
  private nextSeq: number;

  private constructor(path: string, fd: number, nextSeq: number, durability: 'fsync' | 'write') {
    this.path = path;
    this.fd = fd;
    this.nextSeq = nextSeq;
    this.durability = durability;
  }

  static async open(
    path: string,
    durability: 'fsync' | 'write',
  ): Promise<{ writer: LabelLogWriter; contents: LogContents }> {
    await mkdir(dirname(path), { recursive: true });
    const contents = readLabelLog(path);
    const fd = openSync(path, 'a+');
    if (contents.torn) {
      writeFileSync(`${path}.torn`, `${contents.torn.text}\n`, { flag: 'a' });
      ftruncateSync(fd, contents.validBytes);
    } else if (contents.records.length && readFileSync(path).at(-1) !== 10) {
      writeSync(fd, '\n');
    }
    return { writer: new LabelLogWriter(path, fd, contents.records.length + 1, durability), contents };
  }

  /** Appends records (numbering them) in one write; returns them with their `seq`. */
  append<R extends Omit<LabelRecord, 'seq'> | Omit<UndoRecord, 'seq'>>(
    drafts: readonly R[],
  ): (R & { seq: number })[] {
    const records = drafts.map((draft, i) => ({ ...draft, seq: this.nextSeq + i }));
    const text = records.map((r) => `${JSON.stringify(orderFields(r))}\n`).join('');
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
    if (this.durability === 'fsync') fdatasyncSync(this.fd);
    this.nextSeq += records.length;
    return records;
  }

  close(): void {
    closeSync(this.fd);
  }
}

// `type` and `seq` first, so a human reading the log sees what each line is.
function orderFields(record: { type: string; seq: number }): object {
  const { type, seq, ...rest } = record;
  return { type, seq, ...rest };
}
