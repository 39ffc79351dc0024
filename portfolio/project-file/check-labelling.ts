import { classNames } from '../../labelling/label-keys.ts';
import { didYouMean } from '../suggest.ts';
import { indicatorColumn } from './data-spec.ts';
import type { ProjectFile } from './schema.ts';

/**
 * The labelling section's cross-field checks: task names are unique, a project-table task reads a
 * declared table and column, and every label join names a declared task, a column of its table
 * that exists, a new column name, a default and indicated classes that are the task's classes. Returns the
 * problems, one line each, naming the field.
 */
export function labellingProblems(file: ProjectFile): string[] {
  const problems: string[] = [];
  const tasks = file.labelling?.tasks ?? [];
  const names = tasks.map((t) => t.name);
  const tableNames = Object.keys(file.data.tables);
  tasks.forEach((task, i) => {
    if (names.indexOf(task.name) !== i)
      problems.push(`labelling.tasks[${i}].name: duplicate task name "${task.name}".`);
    const items = task.items;
    if (items.source !== 'project-table') return;
    const table = file.data.tables[items.table];
    if (!table) {
      problems.push(
        `labelling.tasks[${i}].items.table: no table is named "${items.table}". ${didYouMean(items.table, tableNames)}`,
      );
      return;
    }
    const columns = columnsOf(table);
    if (columns && !columns.includes(items.distinct)) {
      problems.push(
        `labelling.tasks[${i}].items.distinct: the table "${items.table}" has no column "${items.distinct}". ${didYouMean(items.distinct, columns)}`,
      );
    }
  });
  const modelIds = file.models.map((m) => m.id);
  const events = file.data.events ?? tableNames[0];
  for (const [tableName, table] of Object.entries(file.data.tables)) {
    const columns = columnsOf(table);
    table.labels.forEach((join, j) => {
      const field = `data.tables.${tableName}.labels[${j}]`;
      if (tableName !== events) {
        problems.push(
          `${field}: labels are joined into the events table ("${events}") only; move the join there.`,
        );
      }
      const task = tasks.find((t) => t.name === join.task);
      const classes = task ? classNames(task.labels) : undefined;
      if (!task) {
        problems.push(
          `${field}.task: no labelling task is named "${join.task}". ${names.length ? didYouMean(join.task, names) : 'Declare it under labelling.tasks.'}`,
        );
      } else {
        if (task.labels.kind === 'multi-label') {
          problems.push(
            `${field}.task: "${join.task}" is multi-label; a joined column takes one class per row.`,
          );
        } else if (!classes!.includes(join.default)) {
          problems.push(
            `${field}.default: "${join.default}" is not a class of "${join.task}". ${didYouMean(join.default, classes!)}`,
          );
        }
      }
      if (columns && !columns.includes(join.key)) {
        problems.push(
          `${field}.key: the table "${tableName}" has no column "${join.key}". ${didYouMean(join.key, columns)}`,
        );
      }
      if (columns?.includes(join.column)) {
        problems.push(
          `${field}.column: "${join.column}" is already a column of "${tableName}"; name the labelled column anew.`,
        );
      }
      const indicated = new Map<string, string>();
      for (const [c, label] of (join.indicators ?? []).entries()) {
        const column = indicatorColumn(join, label);
        if (classes && !classes.includes(label)) {
          problems.push(
            `${field}.indicators[${c}]: "${label}" is not a class of "${join.task}". ${didYouMean(label, classes)}`,
          );
        } else if (indicated.has(column)) {
          problems.push(
            `${field}.indicators[${c}]: "${label}" and "${indicated.get(column)}" would both be column "${column}"; list one of them.`,
          );
        } else if (columns?.includes(column)) {
          problems.push(
            `${field}.indicators[${c}]: "${column}" is already a column of "${tableName}"; rename the labelled column.`,
          );
        }
        indicated.set(column, label);
      }
      for (const [m, id] of (join.effectOn ?? []).entries()) {
        if (!modelIds.includes(id))
          problems.push(`${field}.effectOn[${m}]: no model has id "${id}". ${didYouMean(id, modelIds)}`);
      }
    });
  }
  return problems;
}

/** The declared and derived columns of a table, when its columns are declared. */
function columnsOf(table: ProjectFile['data']['tables'][string]): string[] | undefined {
  return table.columns ? [...Object.keys(table.columns), ...Object.keys(table.derive)] : undefined;
}
