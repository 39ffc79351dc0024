/**
 * The checks every fit makes on its training set before touching a number: shapes agree, values
 * are finite, outcomes fit the task, and a named feature exists. Each failure is an `MlfolioError`
 * naming the model, the row or feature, what was received and what to do.
 */
import { MlfolioError } from '../../../portfolio/errors.ts';
import { didYouMean } from '../../../portfolio/suggest.ts';
import { isClassification, type Task, type TrainingSet } from '../task.ts';

export function checkTrainingSet(
  task: Task,
  data: TrainingSet,
  model: string,
  options: { minRows?: number; needsFeatures?: boolean } = {},
): void {
  const invalid = (message: string, hint: string) =>
    new MlfolioError({ code: 'E_TRAINING_SET_INVALID', message: `${model}: ${message}`, hint });
  if (data.rows.length === 0) {
    throw invalid(
      'the training set has no rows.',
      'Check the split: the training seasons or dates select no events.',
    );
  }
  const minRows = options.minRows ?? 1;
  if (data.rows.length < minRows) {
    throw invalid(
      `the training set has ${data.rows.length} rows; this model needs at least ${minRows}.`,
      'Train on more seasons or dates (move the split later), or choose a baseline for so little data.',
    );
  }
  if (options.needsFeatures && data.featureNames.length === 0) {
    throw invalid('the training set has no features.', 'Declare at least one feature for this model.');
  }
  if (data.rows.length !== data.outcomes.length) {
    throw invalid(
      `${data.rows.length} rows but ${data.outcomes.length} outcomes.`,
      'Every training row needs exactly one outcome.',
    );
  }
  const d = data.featureNames.length;
  for (let i = 0; i < data.rows.length; i++) {
    const row = data.rows[i]!;
    if (row.length !== d) {
      throw invalid(
        `row ${i} has ${row.length} values but there are ${d} features (${data.featureNames.join(', ')}).`,
        'Build every row in featureNames order.',
      );
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(row[j])) {
        throw invalid(
          `feature "${data.featureNames[j]}" is ${row[j]} in row ${i}.`,
          'Fill or drop missing values in the feature store before training.',
        );
      }
    }
  }
  const outcomeProblem = (y: number): string | undefined => {
    if (isClassification(task)) {
      return Number.isInteger(y) && y >= 0 && y < task.classes.length
        ? undefined
        : `a class index from 0 to ${task.classes.length - 1}`;
    }
    if (task.kind === 'count') return Number.isInteger(y) && y >= 0 ? undefined : 'a non-negative integer';
    return Number.isFinite(y) ? undefined : 'a finite number';
  };
  for (let i = 0; i < data.outcomes.length; i++) {
    const expected = outcomeProblem(data.outcomes[i]!);
    if (expected) {
      throw invalid(
        `the outcome of row ${i} is ${data.outcomes[i]}, but a ${task.kind} task needs ${expected}.`,
        `Check the target column, or declare the task that fits its values.`,
      );
    }
  }
}

/** The column of `feature` in the training set, or an error naming the nearest feature. */
export function featureIndex(data: TrainingSet, feature: string, model: string): number {
  const index = data.featureNames.indexOf(feature);
  if (index < 0) {
    throw new MlfolioError({
      code: 'E_MODEL_FEATURE_UNKNOWN',
      message: `${model}: feature "${feature}" is not in the training set (features: ${data.featureNames.join(', ') || 'none'}).`,
      hint: `${didYouMean(feature, data.featureNames)} Declare the feature in the project's features, or fix the model's "feature".`,
    });
  }
  return index;
}

/** An error for a model asked to fit a task it cannot. */
export function taskMismatch(model: string, task: Task, tasks: readonly string[]): MlfolioError {
  return new MlfolioError({
    code: 'E_MODEL_TASK_MISMATCH',
    message: `${model} cannot fit a ${task.kind} task; it fits ${tasks.join(', ')}.`,
    hint: 'Choose a model kind made for the task the project declares.',
  });
}

/** Training rows per class; an error naming the first class with none. */
export function classCounts(
  task: Task & { classes: readonly string[] },
  outcomes: readonly number[],
  model: string,
): number[] {
  const counts = new Array<number>(task.classes.length).fill(0);
  for (const y of outcomes) counts[y]!++;
  const missing = counts.indexOf(0);
  if (missing >= 0) {
    throw new MlfolioError({
      code: 'E_MODEL_CLASS_MISSING',
      message: `${model}: class "${task.classes[missing]}" has no training rows (class counts: ${task.classes.map((c, k) => `${c} ${counts[k]}`).join(', ')}).`,
      hint: 'Train on more seasons so every class occurs, or declare the classes the data has.',
    });
  }
  return counts;
}
