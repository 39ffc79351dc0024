import { MlfolioError } from '../../portfolio/errors.ts';
import type { TargetSpec } from '../../portfolio/project-file/question-spec.ts';
import type { Row } from '../collect/typed-rows.ts';
import type { Task } from '../tasks/task.ts';

/**
 * The target of every event row, checked against the declared task: a class index, a number, a
 * count, or null where the row has no target (a future value that has not happened yet). A value
 * the task cannot hold is an error naming the task that would fit the values.
 */
export function readTarget(
  spec: TargetSpec,
  rows: readonly Row[],
  context: {
    file: string;
    /** Entity key column of the role the future target follows. */
    keyColumn?: string;
    /** Sortable time of each row. */
    times: readonly string[];
  },
): { task: Task; outcomes: (number | null)[]; label: string } {
  const raw = spec.future ? futureValues(spec, rows, context) : columnValues(spec, rows, context.file);
  const label = spec.label ?? (spec.future ? `next ${spec.future.column}` : spec.column!);
  const present = raw.filter((v): v is string | number | boolean => v !== null);
  switch (spec.task) {
    case 'binary':
    case 'multiclass':
    case 'ordinal': {
      const classes =
        spec.classes ??
        (spec.task === 'binary' && present.every(isBooleanLike) ? ['false', 'true'] : undefined);
      if (!classes) {
        throw targetError(
          context.file,
          `target.classes is missing: a ${spec.task} task needs its classes${spec.task === 'ordinal' ? ', lowest to highest' : ''}.`,
          `Values found: ${sample(present)}.${fitsNumbers(present) ? ` They are numbers: if you mean to predict the number, declare task: ${countLike(present) ? 'count' : 'regression'}.` : ''}`,
        );
      }
      if (spec.task === 'binary' && classes.length !== 2) {
        throw targetError(
          context.file,
          `target.classes has ${classes.length} classes, but a binary task has exactly two.`,
          `Declare task: ${classes.length > 2 ? 'multiclass (or ordinal if they are ordered)' : 'binary with two classes'}.`,
        );
      }
      const index = new Map(classes.map((c, k) => [c, k]));
      const unknown = new Set<string>();
      const outcomes = raw.map((value) => {
        if (value === null) return null;
        const key = typeof value === 'boolean' ? String(value) : String(value);
        const k = index.get(key) ?? (typeof value === 'boolean' ? index.get(value ? '1' : '0') : undefined);
        if (k === undefined) unknown.add(key);
        return k ?? null;
      });
      if (unknown.size) {
        throw targetError(
          context.file,
          `target: values ${sample([...unknown])} are not among the declared classes (${classes.join(', ')}).`,
          fitsNumbers([...unknown].map(Number))
            ? `The values are numbers: declare task: ${countLike(present.map(Number)) ? 'count' : 'regression'}, or list every class.`
            : 'Add them to target.classes, or derive a column that maps them.',
        );
      }
      for (const [k, name] of classes.entries()) {
        if (!outcomes.includes(k)) {
          throw targetError(
            context.file,
            `target: class "${name}" never occurs in the data.`,
            'Remove it from target.classes, or check the column.',
          );
        }
      }
      return { task: { kind: spec.task, classes }, outcomes, label };
    }
    case 'regression':
    case 'count': {
      const outcomes = raw.map((value) => (value === null ? null : Number(value)));
      const bad = raw.filter((v, i) => v !== null && !Number.isFinite(outcomes[i]!));
      if (bad.length) {
        throw targetError(
          context.file,
          `target: a ${spec.task} task needs numbers, but the column holds ${sample(bad)}.`,
          `Declare task: ${new Set(bad.map(String)).size === 2 ? 'binary' : 'multiclass'} with target.classes, or derive a numeric column.`,
        );
      }
      if (spec.task === 'count') {
        const notCounts = outcomes.filter((v): v is number => v !== null && (v < 0 || !Number.isInteger(v)));
        if (notCounts.length) {
          throw targetError(
            context.file,
            `target: a count task needs non-negative whole numbers, but the column holds ${sample(notCounts)}.`,
            'Declare task: regression for real-valued targets.',
          );
        }
      }
      if (spec.classes) {
        throw targetError(
          context.file,
          `target.classes is set, but a ${spec.task} task has no classes.`,
          'Remove target.classes.',
        );
      }
      return { task: { kind: spec.task }, outcomes, label };
    }
  }
}

function columnValues(
  spec: TargetSpec,
  rows: readonly Row[],
  file: string,
): (string | number | boolean | null)[] {
  if (!spec.column) {
    throw targetError(
      file,
      'target needs a column, or a future value (target.future).',
      'e.g. target: { column: result, task: ordinal, classes: [H, D, A] }',
    );
  }
  const column = spec.column;
  if (rows.length && !(column in rows[0]!)) {
    throw targetError(
      file,
      `target.column "${column}" is not a column of the events table.`,
      `Columns: ${Object.keys(rows[0]!).join(', ')}.`,
    );
  }
  return rows.map((row) => row[column] ?? null);
}

/** Each row's entity's value of `column` `horizon` events later (null when it has not happened). */
function futureValues(
  spec: TargetSpec,
  rows: readonly Row[],
  context: { file: string; keyColumn?: string; times: readonly string[] },
): (string | number | boolean | null)[] {
  const future = spec.future!;
  const key = context.keyColumn;
  if (!key) {
    throw targetError(
      context.file,
      `target.future.role "${future.role}" is not a declared role.`,
      'Declare it under data.roles.',
    );
  }
  if (rows.length && !(future.column in rows[0]!)) {
    throw targetError(
      context.file,
      `target.future.column "${future.column}" is not a column of the events table.`,
      `Columns: ${Object.keys(rows[0]!).join(', ')}.`,
    );
  }
  const byEntity = new Map<string, number[]>();
  rows.forEach((row, i) => {
    const entity = String(row[key]);
    if (!byEntity.has(entity)) byEntity.set(entity, []);
    byEntity.get(entity)!.push(i);
  });
  const out = new Array<string | number | boolean | null>(rows.length).fill(null);
  for (const indices of byEntity.values()) {
    indices.sort((a, b) => compareTimes(context.times[a]!, context.times[b]!) || a - b);
    indices.forEach((i, position) => {
      const later = indices[position + future.horizon];
      out[i] = later === undefined ? null : (rows[later]![future.column] ?? null);
    });
  }
  return out;
}

function compareTimes(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  return Number.isFinite(x) && Number.isFinite(y) ? x - y : a.localeCompare(b);
}

const isBooleanLike = (v: unknown) => typeof v === 'boolean' || v === 0 || v === 1;
const fitsNumbers = (values: readonly unknown[]) =>
  values.length > 0 && values.every((v) => typeof v === 'number' && Number.isFinite(v));
const countLike = (values: readonly unknown[]) =>
  values.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= 0);

function sample(values: readonly unknown[]): string {
  const distinct = [...new Set(values.map((v) => JSON.stringify(v)))];
  return `${distinct.slice(0, 5).join(', ')}${distinct.length > 5 ? `, … (${distinct.length} distinct)` : ''}`;
}

function targetError(file: string, message: string, hint: string): MlfolioError {
  return new MlfolioError({ code: 'E_TARGET_INVALID', message: `${file}: ${message}`, hint });
}
