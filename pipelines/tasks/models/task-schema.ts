import { z } from 'zod';
import type { Task } from '../task.ts';

/**
 * A `Task` as stored inside a model artifact, so a loaded artifact knows its own link function.
 * Classification tasks need at least two distinct class labels; binary exactly two.
 */
export const taskSchema = z
  .discriminatedUnion('kind', [
    z.strictObject({
      kind: z.enum(['binary', 'multiclass', 'ordinal']),
      classes: z.array(z.string()).min(2).readonly(),
    }),
    z.strictObject({ kind: z.literal('regression') }),
    z.strictObject({ kind: z.literal('count') }),
  ])
  .superRefine((task, context) => {
    if (!('classes' in task)) return;
    if (new Set(task.classes).size !== task.classes.length) {
      context.addIssue({ code: 'custom', path: ['classes'], message: 'class labels must be distinct' });
    }
    if (task.kind === 'binary' && task.classes.length !== 2) {
      context.addIssue({
        code: 'custom',
        path: ['classes'],
        message: `a binary task has exactly 2 classes, got ${task.classes.length}`,
      });
    }
  });

/** A copy of `task` with only the fields the schema knows, so a stored artifact always reloads. */
export function plainTask(task: Task): Task {
  return 'classes' in task ? { kind: task.kind, classes: [...task.classes] } : { kind: task.kind };
}
