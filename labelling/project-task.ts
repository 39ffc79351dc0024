import { join } from 'node:path';
import type { Row } from '../pipelines/collect/typed-rows.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { hashValue } from '../portfolio/hash.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import { type LabelRecord, readLabelLog } from './label-log.ts';
import { LabelState } from './label-state.ts';
import { snapshotId } from './label-store.ts';
import { applyLabellingFunctions } from './labelling-functions.ts';
import { loadTask, type Task } from './load-task.ts';
import type { LabelItem } from './task-items.ts';
import type { LabellingTaskDeclaration, ProjectTableItemsSpec } from './task-spec.ts';

/** The annotator id of a label made by a labelling function. */
export const labellingFunctionAnnotator = (name: string) => `labelling-function:${name}`;
export const isLabellingFunction = (annotator: string) => annotator.startsWith('labelling-function:');

/** The task `name` of a project's labelling section (the only one when `name` is omitted). */
export function projectTaskDeclaration(project: LoadedProject, name?: string): LabellingTaskDeclaration {
  const tasks = project.file.labelling?.tasks ?? [];
  const names = tasks.map((t) => t.name);
  if (tasks.length === 0) {
    throw new MlfolioError({
      code: 'E_LABEL_TASK_MISSING',
      message: `${project.specFile} declares no labelling task.`,
      hint: 'Add a labelling section with tasks (see "Labelling" in the README), or pass a task file.',
    });
  }
  if (name === undefined) {
    if (tasks.length === 1) return tasks[0]!;
    throw new MlfolioError({
      code: 'E_LABEL_TASK_MISSING',
      message: `${project.specFile} declares ${tasks.length} labelling tasks; name one.`,
      hint: `Tasks: ${names.join(', ')}.`,
    });
  }
  const task = tasks.find((t) => t.name === name);
  if (!task) {
    throw new MlfolioError({
      code: 'E_LABEL_TASK_MISSING',
      message: `${project.specFile} has no labelling task "${name}".`,
      hint: didYouMean(name, names),
    });
  }
  return task;
}

/** Where a project task's label log lives: `content/projects/<slug>/labels/<task>.labels.jsonl`. */
export function projectLabelLogPath(workspace: Workspace, slug: string, task: string): string {
  return join(projectPaths(workspace, slug).dir, 'labels', `${task}.labels.jsonl`);
}

/**
 * Loads a project's labelling task: a `project-table` task's items are the distinct non-empty
 * values of its column in the collected table, each with the number of rows and the first and
 * last event time as context; file paths are relative to the project folder.
 */
export async function loadProjectTask(
  workspace: Workspace,
  project: LoadedProject,
  name?: string,
): Promise<Task> {
  const declaration = projectTaskDeclaration(project, name);
  const source = `${project.specFile} (labelling task "${declaration.name}")`;
  return loadTask(declaration, source, projectPaths(workspace, project.slug).dir, {
    projectItems: async (spec) => {
      const table = project.file.data.tables[spec.table]!;
      // Loaded here, not with the module: reading a label snapshot (an unchanged rerun's check)
      // must not load every source's collector and DuckDB.
      const { collectTable } = await import('../pipelines/collect/collect-table.ts');
      const collected = await collectTable(spec.table, table, {
        workspace,
        slug: project.slug,
        specFile: project.specFile,
      });
      return distinctItems(collected.rows, spec, table.time.column);
    },
  });
}

/** One item per distinct non-empty value of `spec.distinct`, in first-seen order, with its row count and time span. */
export function distinctItems(
  rows: readonly Row[],
  spec: ProjectTableItemsSpec,
  timeColumn: string,
): LabelItem[] {
  const byValue = new Map<string, { rows: number; first: string; last: string }>();
  for (const row of rows) {
    const raw = row[spec.distinct];
    if (raw === null || raw === undefined || String(raw).trim() === '') continue;
    const value = String(raw);
    const time = String(row[timeColumn] ?? '');
    const entry = byValue.get(value);
    if (!entry) byValue.set(value, { rows: 1, first: time, last: time });
    else {
      entry.rows++;
      if (time < entry.first) entry.first = time;
      if (time > entry.last) entry.last = time;
    }
  }
  return [...byValue].map(([id, { rows: count, first, last }]) => ({
    id,
    context: { [spec.distinct]: id, rows: count, first, last },
    features: [Math.log1p(count), Number(first.slice(0, 4)) || 0, Number(last.slice(0, 4)) || 0],
  }));
}

/** The label an item resolves to, and who made the labels it rests on. */
export interface ResolvedLabel {
  label: string;
  /** `annotator` when a person or agent labelled it, `labelling-function` otherwise. */
  by: 'annotator' | 'labelling-function';
  annotators: string[];
}

/** The labels of a log as the pipeline reads them: a snapshot id and one label per item. */
export interface LabelSnapshot {
  /** Content hash of the current labels (item, annotator, label, guideline version). */
  id: string;
  /** Current labels, one per (item, annotator). */
  current: LabelRecord[];
  /** Every label not undone, in log order (repeats and relabels included). */
  standing: LabelRecord[];
  resolved: Map<string, ResolvedLabel>;
}

/**
 * Reads a label log (without its lock: readers never block the labelling page) and resolves one
 * label per item: the majority of the annotators' current labels when any annotator labelled it
 * (a self-overlap repeat is a measurement, not a vote), else the majority of the labelling
 * functions that fired; ties go to the most recent label.
 */
export function readLabelSnapshot(path: string): LabelSnapshot {
  const state = LabelState.replay(readLabelLog(path).records);
  const standing = state.standing();
  const primary = new Map<string, LabelRecord>();
  for (const record of standing)
    if (record.round !== 'self-overlap') primary.set(`${record.item}\u0000${record.annotator}`, record);
  const byItem = new Map<string, LabelRecord[]>();
  for (const record of primary.values()) {
    const list = byItem.get(record.item) ?? [];
    list.push(record);
    byItem.set(record.item, list);
  }
  const resolved = new Map<string, ResolvedLabel>();
  for (const [item, labels] of byItem) {
    const people = labels.filter((l) => !isLabellingFunction(l.annotator));
    const voters = people.length ? people : labels;
    const votes = new Map<string, { count: number; latest: number }>();
    for (const vote of voters) {
      const key = String(vote.label);
      const entry = votes.get(key) ?? { count: 0, latest: 0 };
      entry.count++;
      entry.latest = Math.max(entry.latest, vote.seq);
      votes.set(key, entry);
    }
    const [label] = [...votes].sort((a, b) => b[1].count - a[1].count || b[1].latest - a[1].latest)[0]!;
    resolved.set(item, {
      label,
      by: people.length ? 'annotator' : 'labelling-function',
      annotators: voters.map((v) => v.annotator).sort(),
    });
  }
  const current = state.current();
  return { id: snapshotId(current), current, standing, resolved };
}

/**
 * The labels each labelling function gives, as submissions by `labelling-function:<name>`, for the
 * items where it fires and has not already given that label (so applying twice records nothing new).
 */
export function labellingFunctionSubmissions(task: Task, state: LabelState) {
  const functions = task.declaration.labellingFunctions;
  const votes = applyLabellingFunctions(task.items, functions, task.classes);
  const out: { item: string; label: string; annotator: string }[] = [];
  task.items.forEach((item, i) => {
    functions.forEach((lf, f) => {
      const vote = votes.data[i * functions.length + f];
      if (vote === undefined || vote < 0) return;
      const annotator = labellingFunctionAnnotator(lf.name);
      const label = task.classes[vote]!;
      if (state.labelOf(annotator, item.id)?.label === label) return;
      out.push({ item: item.id, label, annotator });
    });
  });
  return out;
}

/** sha256 of the resolved labels (item → label, sorted by item): what a label join reads. */
export function resolvedHash(snapshot: Pick<LabelSnapshot, 'resolved'>): string {
  return hashValue(
    [...snapshot.resolved]
      .map(([item, r]) => [item, r.label] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
}
