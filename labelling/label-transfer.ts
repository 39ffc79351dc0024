import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { ExportFormat } from './export-format.ts';
import { labelsToCsv, labelsToJsonl } from './label-export.ts';
import { readLabelLog } from './label-log.ts';
import { LabelState } from './label-state.ts';
import { LabelStore, type LabelSubmission } from './label-store.ts';
import { fromLabelStudio, toLabelStudio } from './label-studio.ts';
import type { Task } from './load-task.ts';

/**
 * Writes the log's current labels — the latest label of each (item, annotator) not undone, in log
 * order; not the whole log — to `file` in `format`, atomically. Reads the log without its lock
 * (readers never block a labelling page), so an export during labelling is a consistent prefix.
 */
export async function exportLabels(
  task: Task,
  storePath: string,
  file: string,
  format: ExportFormat,
): Promise<{ labels: number; items: number; logExists: boolean }> {
  const current = LabelState.replay(readLabelLog(storePath).records).current();
  const logExists = existsSync(storePath);
  const text =
    format === 'jsonl'
      ? labelsToJsonl(current)
      : format === 'csv'
        ? labelsToCsv(current)
        : `${JSON.stringify(toLabelStudio(task, current), null, 2)}\n`;
  await writeFileAtomic(file, text);
  return { labels: current.length, items: new Set(current.map((l) => l.item)).size, logExists };
}

export interface ImportResult {
  /** Labels appended to the log. */
  added: number;
  /** Labels in the file that are already the annotator's current label of the item. */
  unchanged: number;
  annotators: string[];
  /** Whether the log's last line was cut short by a crash (moved aside to `<log>.torn` on opening). */
  torn: boolean;
}

/**
 * Imports a Label Studio JSON export into the log at `storePath`: parses and validates the whole
 * file first (`fromLabelStudio`: an unknown item or class throws naming the file and its place, and
 * nothing is appended), then takes the store's lock (`E_LABEL_STORE_LOCKED` while a labelling server
 * holds it) and appends, in one write, each label that is not already the annotator's current label
 * of that item — so importing labels already there adds none. Labels are recorded as the annotator
 * the export names (`created_username`), or `annotator` for all when given, in round `import`, with
 * the import's time and the task's current guidelines version.
 */
export async function importLabelStudio(
  task: Task,
  storePath: string,
  file: string,
  options: { annotator?: string; durability?: 'fsync' | 'write'; now?: () => Date } = {},
): Promise<ImportResult> {
  const parsed = fromLabelStudio(task, await readJson(file), file);
  const submissions = options.annotator
    ? parsed.map((s) => ({ ...s, annotator: options.annotator! }))
    : parsed;
  const store = await LabelStore.open(task, storePath, {
    ...(options.durability ? { durability: options.durability } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  try {
    // What each (annotator, item) will stand at, so a file repeating a label adds it once.
    const latest = new Map<string, string>();
    const fresh: LabelSubmission[] = [];
    for (const s of submissions) {
      const key = `${s.annotator}\u0000${s.item}`;
      const now = latest.get(key) ?? labelKey(store.state.labelOf(s.annotator, s.item)?.label);
      const label = labelKey(s.label);
      if (now === label) continue;
      latest.set(key, label);
      fresh.push(s);
    }
    if (fresh.length) store.submitMany(fresh, file);
    return {
      added: fresh.length,
      unchanged: submissions.length - fresh.length,
      annotators: [...new Set(fresh.map((s) => s.annotator))].sort(),
      torn: store.opened.torn !== undefined,
    };
  } finally {
    store.close();
  }
}

// A multi-label value compares as the store keeps it: its distinct classes, sorted.
function labelKey(label: unknown): string {
  return JSON.stringify(Array.isArray(label) ? [...new Set(label)].sort() : label);
}

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_LABEL_IMPORT_INVALID',
        message: `Cannot read the import file ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}.`,
        hint: 'Pass the path of a Label Studio JSON export.',
      },
      { cause: error },
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_LABEL_IMPORT_INVALID',
        message: `${file} is not JSON: ${(error as Error).message}.`,
        hint: 'Export from Label Studio with "JSON" (not JSON-MIN or CSV).',
      },
      { cause: error },
    );
  }
}
