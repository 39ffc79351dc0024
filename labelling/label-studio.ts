import { MlfolioError } from '../portfolio/errors.ts';
import type { LabelRecord } from './label-log.ts';
import type { LabelSubmission } from './label-store.ts';
import { requireItem, requireLabel, type Task } from './load-task.ts';

/**
 * Label Studio's JSON export: a list of tasks, each with `data` (the item) and `annotations`, each
 * annotation a `result` list whose `choices` entries carry the classes. mlfolio writes
 * `data.mlfolio_item` (the item id) and `created_username` (the annotator), and reads them back.
 */
export interface LabelStudioTask {
  id: number;
  data: Record<string, unknown>;
  annotations: LabelStudioAnnotation[];
}

interface LabelStudioAnnotation {
  id: number;
  completed_by: number;
  created_username?: string;
  created_at?: string;
  lead_time?: number;
  was_cancelled?: boolean;
  result: { from_name: string; to_name: string; type: string; value: Record<string, unknown> }[];
}

/** The field of `data` holding mlfolio's item id. */
export const itemField = 'mlfolio_item';

/** Exports current labels as Label Studio tasks (one per labelled item, one annotation per annotator). */
export function toLabelStudio(task: Task, labels: readonly LabelRecord[]): LabelStudioTask[] {
  const annotatorIds = new Map<string, number>();
  const byItem = new Map<string, LabelRecord[]>();
  for (const label of labels) {
    if (!annotatorIds.has(label.annotator)) annotatorIds.set(label.annotator, annotatorIds.size + 1);
    const list = byItem.get(label.item);
    if (list) list.push(label);
    else byItem.set(label.item, [label]);
  }
  let annotationId = 0;
  return [...byItem.entries()].map(([item, list]) => {
    const index = task.itemIndex.get(item);
    const context = index === undefined ? {} : task.items[index]!.context;
    return {
      id: (index ?? -1) + 1,
      data: { ...context, [itemField]: item },
      annotations: list.map((label) => ({
        id: ++annotationId,
        completed_by: annotatorIds.get(label.annotator)!,
        created_username: label.annotator,
        created_at: label.at,
        lead_time: label.timeMs / 1000,
        was_cancelled: false,
        result: [
          {
            from_name: 'label',
            to_name: 'item',
            type: 'choices',
            value: { choices: Array.isArray(label.label) ? label.label : [label.label] },
          },
        ],
      })),
    };
  });
}

/**
 * Reads a Label Studio JSON export into label submissions for `task`, validating everything first:
 * an item that does not exist or a class the task does not have throws, naming it and its place in
 * the file, and nothing is returned. Cancelled annotations and non-`choices` results are skipped.
 */
export function fromLabelStudio(task: Task, data: unknown, source: string): LabelSubmission[] {
  if (!Array.isArray(data)) {
    throw new MlfolioError({
      code: 'E_LABEL_IMPORT_INVALID',
      message: `${source} is not a Label Studio JSON export: expected a list of tasks, received ${data === null ? 'null' : typeof data}.`,
      hint: 'Export from Label Studio with "JSON" (not JSON-MIN or CSV).',
    });
  }
  const idField = task.declaration.items.source === 'table' ? task.declaration.items.idField : undefined;
  const out: LabelSubmission[] = [];
  data.forEach((entry: unknown, t) => {
    const where = `${source} task [${t}]`;
    if (!isObject(entry)) notAnExport(where, 'a task object', entry);
    const lsTask = entry as Partial<LabelStudioTask>;
    if (!isObject(lsTask.data)) notAnExport(`${where} data`, 'an object', lsTask.data);
    if (lsTask.annotations !== undefined && !Array.isArray(lsTask.annotations))
      notAnExport(`${where} annotations`, 'a list', lsTask.annotations);
    const itemValue = lsTask.data?.[itemField] ?? (idField ? lsTask.data?.[idField] : undefined);
    if (typeof itemValue !== 'string' && typeof itemValue !== 'number') {
      throw new MlfolioError({
        code: 'E_LABEL_IMPORT_INVALID',
        message: `${where}: data has no "${itemField}"${idField ? ` or "${idField}"` : ''} naming the item.`,
        hint: `Each task's data must carry the item id in "${itemField}"${idField ? ` or "${idField}"` : ''}.`,
      });
    }
    const item = String(itemValue);
    requireItem(task, item, where);
    (lsTask.annotations ?? []).forEach((annotation, a) => {
      const here = `${where} annotation [${a}]`;
      if (!isObject(annotation)) notAnExport(here, 'an annotation object', annotation);
      if (annotation.was_cancelled) return;
      if (annotation.result !== undefined && !Array.isArray(annotation.result))
        notAnExport(`${here} result`, 'a list', annotation.result);
      const choices = (annotation.result ?? []).flatMap((r, i) => {
        if (!isObject(r) || r.type !== 'choices') return [];
        const value = r.value?.choices;
        if (!Array.isArray(value)) notAnExport(`${here} result [${i}] value.choices`, 'a list', value);
        return value as unknown[];
      });
      if (!choices.length) return;
      const label = task.multiLabel ? choices : choices.length === 1 ? choices[0] : choices;
      requireLabel(task, label, here);
      out.push({
        item,
        label,
        annotator: annotation.created_username ?? `label-studio-user-${annotation.completed_by}`,
        timeMs: (annotation.lead_time ?? 0) * 1000,
        round: 'import',
      });
    });
  });
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notAnExport(where: string, expected: string, received: unknown): never {
  throw new MlfolioError({
    code: 'E_LABEL_IMPORT_INVALID',
    message: `${where}: expected ${expected}, received ${received === undefined ? 'nothing' : JSON.stringify(received)?.slice(0, 120)}.`,
    hint: 'Export from Label Studio with "JSON" (not JSON-MIN or CSV), or use a file `mlfolio label --export` wrote.',
  });
}
