import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, resolve } from 'node:path';
import { MlfolioError } from '../portfolio/errors.ts';
import { parseWith } from '../portfolio/validate.ts';
import { parseYamlText } from '../portfolio/yaml-file.ts';
import { classNames, resolveLabelKeys } from './label-keys.ts';
import { namePairItems } from './name-pairs.ts';
import { itemsFromRows, type LabelItem, readNameList, readRows } from './task-items.ts';
import {
  type LabellingTaskDeclaration,
  labellingTaskSchema,
  type ProjectTableItemsSpec,
} from './task-spec.ts';

/** A task ready to label: its declaration, its items, its classes and the key of each class. */
export interface Task {
  declaration: LabellingTaskDeclaration;
  /** Where the declaration came from (a file path, or a description for an embedded task). */
  source: string;
  items: LabelItem[];
  itemIndex: Map<string, number>;
  classes: string[];
  multiLabel: boolean;
  keys: Map<string, string>;
}

/** The file a task folder holds. */
export const taskFileNames = ['label-task.yaml', 'label-task.yml', 'label-task.json'] as const;

/** Finds the task file at `path`: the file itself, or `label-task.yaml` (or .yml/.json) in a folder. */
export async function findTaskFile(path: string): Promise<string> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isFile()) return path;
  if (info?.isDirectory()) {
    for (const name of taskFileNames) {
      const candidate = join(path, name);
      if ((await stat(candidate).catch(() => undefined))?.isFile()) return candidate;
    }
  }
  throw new MlfolioError({
    code: 'E_LABEL_TASK_MISSING',
    message: `No labelling task at ${path}: ${info ? `the folder has none of ${taskFileNames.join(', ')}` : 'no such file or folder'}.`,
    hint: 'Pass a task file (YAML or JSON), or a folder holding label-task.yaml.',
  });
}

/** Reads, validates and loads the task at `path` (file or folder). */
export async function loadTaskFile(path: string): Promise<Task> {
  const file = await findTaskFile(path);
  const text = await readFile(file, 'utf8');
  const data =
    extname(file) === '.json' ? parseJson(text, file) : parseYamlText(text, file, 'E_LABEL_TASK_INVALID');
  return loadTask(
    parseWith(labellingTaskSchema, data, file, 'E_LABEL_TASK_INVALID'),
    file,
    dirname(resolve(file)),
  );
}

/**
 * Normalises a validated declaration: resolves keys (clashes and reserved keys rejected, naming
 * both labels), loads items (paths relative to `baseDir`), and rejects a task with no items or gold
 * items that do not exist or use an unknown class.
 */
export async function loadTask(
  declaration: LabellingTaskDeclaration,
  source: string,
  baseDir: string,
  options: { projectItems?: (spec: ProjectTableItemsSpec) => Promise<LabelItem[]> } = {},
): Promise<Task> {
  const keys = resolveLabelKeys(declaration.labels, source);
  const at = (path: string) => resolve(baseDir, path);
  const spec = declaration.items;
  let items: LabelItem[];
  if (spec.source === 'table') items = itemsFromRows(await readRows(at(spec.path)), spec, source);
  else if (spec.source === 'name-pairs')
    items = namePairItems(await readNameList(spec.left, at), await readNameList(spec.right, at), spec);
  else if (options.projectItems) items = await options.projectItems(spec);
  else {
    throw new MlfolioError({
      code: 'E_LABEL_TASK_INVALID',
      message: `${source}: items.source "project-table" reads a project's table, but this task is not in a project file.`,
      hint: 'Declare the task in the labelling section of a version 2 project.yaml, or use items.source: table with a file.',
    });
  }
  if (items.length === 0) {
    throw new MlfolioError({
      code: 'E_LABEL_TASK_EMPTY',
      message: `${source}: the task "${declaration.name}" has no items (${emptyReason(spec, at)}).`,
      hint:
        spec.source === 'name-pairs'
          ? 'Add a blocking method (token-overlap finds the most pairs) or lower minSimilarity.'
          : spec.source === 'table'
            ? 'Point items.path at a table with rows.'
            : `Check that the table "${spec.table}" has rows with a value in "${spec.distinct}".`,
    });
  }
  const classes = classNames(declaration.labels);
  const itemIndex = new Map(items.map((item, i) => [item.id, i]));
  const task: Task = {
    declaration,
    source,
    items,
    itemIndex,
    classes,
    multiLabel: declaration.labels.kind === 'multi-label',
    keys,
  };
  declaration.gold.forEach((gold, i) => {
    requireItem(task, gold.item, `${source} gold[${i}]`);
    requireLabel(task, gold.label, `${source} gold[${i}]`);
  });
  declaration.labellingFunctions.forEach((lf, i) => {
    if (!classes.includes(lf.label))
      requireLabel(task, lf.label, `${source} labellingFunctions[${i}] ("${lf.name}")`);
  });
  return task;
}

/** Throws `E_LABEL_UNKNOWN_ITEM`, naming the item and where, unless the task has it. */
export function requireItem(task: Task, item: string, where: string): void {
  if (!task.itemIndex.has(item)) {
    throw new MlfolioError({
      code: 'E_LABEL_UNKNOWN_ITEM',
      message: `${where}: the item "${item}" does not exist in the task "${task.declaration.name}".`,
      hint: 'Label only items the task lists; check the item id field and the items file.',
    });
  }
}

/** Throws `E_LABEL_UNKNOWN_CLASS`, naming the class and where, unless `label` is valid for the task. */
export function requireLabel(task: Task, label: unknown, where: string): asserts label is string | string[] {
  const values = Array.isArray(label) ? label : [label];
  if (Array.isArray(label) !== task.multiLabel || (!task.multiLabel && values.length !== 1)) {
    throw new MlfolioError({
      code: 'E_LABEL_SHAPE',
      message: `${where}: received ${JSON.stringify(label)}, but the task "${task.declaration.name}" takes ${task.multiLabel ? 'a list of classes (multi-label)' : 'one class per item'}.`,
      hint: `Use ${task.multiLabel ? 'a list such as ["a", "b"]' : 'one of the classes'}: ${task.classes.join(', ')}.`,
    });
  }
  for (const value of values) {
    if (typeof value !== 'string' || !task.classes.includes(value)) {
      throw new MlfolioError({
        code: 'E_LABEL_UNKNOWN_CLASS',
        message: `${where}: the class ${JSON.stringify(value)} is not one of the task's classes (${task.classes.join(', ')}).`,
        hint: `Use one of ${task.classes.join(', ')}, or add the class to labels.classes (and bump the guidelines version).`,
      });
    }
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_LABEL_TASK_INVALID',
        message: `${file} is not valid JSON: ${(error as Error).message}`,
        hint: 'Fix the JSON syntax.',
      },
      { cause: error },
    );
  }
}

function emptyReason(spec: LabellingTaskDeclaration['items'], at: (path: string) => string): string {
  if (spec.source === 'table') return `${at(spec.path)} has no rows`;
  if (spec.source === 'name-pairs') return 'no name pair shares a blocking key';
  return `the table "${spec.table}" has no value in the column "${spec.distinct}"`;
}
