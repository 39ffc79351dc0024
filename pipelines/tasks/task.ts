/**
 * The task a project declares, and the one shape of prediction every model of that task returns.
 * Nothing here knows a sport: a task is a kind of target (binary, multiclass, ordinal, regression,
 * count) and, for the classification kinds, its class labels in a declared order.
 *
 * Keep this file free of Node and TensorFlow imports: prediction code that depends on it is bundled
 * into the in-browser demo.
 */

export const taskKinds = ['binary', 'multiclass', 'ordinal', 'regression', 'count'] as const;
export type TaskKind = (typeof taskKinds)[number];

export type ClassificationKind = 'binary' | 'multiclass' | 'ordinal';

export type Task =
  /**
   * `classes` in the declared order: for `binary`, [negative, positive]; for `ordinal`, lowest to
   * highest (the order RPS and the cumulative-link model use). Outcomes are class indices.
   */
  | { kind: ClassificationKind; classes: readonly string[] }
  /** Outcomes are real numbers. */
  | { kind: 'regression' }
  /** Outcomes are non-negative integers. */
  | { kind: 'count' };

/**
 * One row's forecast. Classification forecasts are a probability per class (summing to 1, in the
 * task's class order). Regression forecasts are a Gaussian predictive distribution, count forecasts a
 * Poisson one: every task gets a full predictive distribution, so proper scores (log loss, RPS, CRPS,
 * Poisson deviance) and interval coverage apply to all of them.
 */
export type Forecast =
  | { kind: 'probabilities'; p: readonly number[] }
  | { kind: 'gaussian'; mean: number; sd: number }
  | { kind: 'poisson'; mean: number };

/** A design matrix: rows of feature values, named by `featureNames` in column order. */
export interface TrainingSet {
  featureNames: readonly string[];
  /** rows[i][j]: row i, feature j. Missing values are not allowed here (the feature store fills or drops them). */
  rows: readonly (readonly number[])[];
  /** Class index (classification) or value (regression, count), one per row. */
  outcomes: readonly number[];
}

/** The forecast kind each task's models produce. */
export function forecastKindOf(task: Task): Forecast['kind'] {
  switch (task.kind) {
    case 'regression':
      return 'gaussian';
    case 'count':
      return 'poisson';
    default:
      return 'probabilities';
  }
}

export function isClassification(
  task: Task,
): task is { kind: ClassificationKind; classes: readonly string[] } {
  return task.kind === 'binary' || task.kind === 'multiclass' || task.kind === 'ordinal';
}
