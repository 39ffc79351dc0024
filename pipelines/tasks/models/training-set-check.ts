import { MlfolioError } from '../../../portfolio/errors.ts';
import type { Task, TrainingSet } from '../task.ts';

/**
 * Checks that `data` can train a `model` for `task`: at least `minRows` rows, each with one finite
 * value per feature, and outcomes of the task's kind (class indices, real numbers, non-negative
 * integers). Throws `E_TRAINING_SET_INVALID` naming the first offending row and feature.
 */
export function checkTrainingSet(task: Task, data: TrainingSet, model: string, minRows = 2): void {
  const fail = (message: string, hint: string): never => {
    throw new MlfolioError({ code: 'E_TRAINING_SET_INVALID', message: `${model}: ${message}`, hint });
  };
  const d = data.featureNames.length;
  if (d === 0) fail('the training set has no features.', 'Declare at least one feature for this model.');
  if (data.rows.length !== data.outcomes.length) {
    fail(
      `the training set has ${data.rows.length} rows but ${data.outcomes.length} outcomes.`,
      'Give exactly one outcome per row.',
    );
  }
  if (data.rows.length < minRows) {
    fail(
      `the training set has ${data.rows.length} rows; this model needs at least ${minRows}.`,
      'Train on more seasons or dates (move the split later), or choose a baseline for so little data.',
    );
  }
  for (let i = 0; i < data.rows.length; i++) {
    const row = data.rows[i]!;
    if (row.length !== d) {
      fail(
        `row ${i} has ${row.length} values but there are ${d} features (${data.featureNames.join(', ')}).`,
        'Build every row in featureNames order, one value per feature.',
      );
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(row[j])) {
        fail(
          `row ${i}, feature "${data.featureNames[j]}" is ${String(row[j])}, not a finite number.`,
          'Fill or drop missing values in the feature store before training.',
        );
      }
    }
    const y = data.outcomes[i]!;
    const expected = expectedOutcome(task, y);
    if (expected) {
      fail(
        `row ${i} has outcome ${String(y)}, but a ${task.kind} task needs ${expected}.`,
        'Check the declared task against the target column: the task is never inferred.',
      );
    }
  }
}

/** What a valid outcome looks like, when `y` is not one; undefined when it is. */
function expectedOutcome(task: Task, y: number): string | undefined {
  switch (task.kind) {
    case 'regression':
      return Number.isFinite(y) ? undefined : 'a finite number';
    case 'count':
      return Number.isInteger(y) && y >= 0 ? undefined : 'a non-negative integer';
    default:
      return Number.isInteger(y) && y >= 0 && y < task.classes.length
        ? undefined
        : `a class index from 0 to ${task.classes.length - 1} (${task.classes.join(', ')})`;
  }
}
