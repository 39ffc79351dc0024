import type { Task } from '../task.ts';

/**
 * The loss a boosted ensemble descends, by task. Raw scores are stored row-major, `outputs` per row
 * (`raw[i * outputs + k]`); the link from raw scores to a forecast lives in `gradient-boosting.ts`.
 * Gradients and Hessians are of the per-row loss with respect to each raw score; the Hessian is its
 * exact diagonal, as scikit-learn's HistGradientBoosting uses.
 */
export interface BoostingLoss {
  name: 'logistic' | 'softmax' | 'squared-error' | 'poisson';
  /** Raw scores per row: 1, or the number of classes for softmax. */
  outputs: number;
  /** The constant raw scores that minimise the training loss (log-odds, log-priors, mean, log-mean). */
  init(outcomes: Float64Array): Float64Array;
  /** Fills `gradient[i * outputs + k]` and `hessian[…]` for every row from the current raw scores. */
  gradients(raw: Float64Array, outcomes: Float64Array, gradient: Float64Array, hessian: Float64Array): void;
  /** Row i's loss: log loss, half squared error, or Poisson negative log-likelihood without the log(y!) term. */
  rowLoss(raw: Float64Array, i: number, outcome: number): number;
}

/** The loss that fits `task`: logistic (binary), softmax (multiclass, ordinal), squared error, Poisson. */
export function boostingLossFor(task: Task): BoostingLoss {
  switch (task.kind) {
    case 'binary':
      return logisticLoss;
    case 'multiclass':
    case 'ordinal':
      return softmaxLoss(task.classes.length);
    case 'regression':
      return squaredErrorLoss;
    case 'count':
      return poissonLoss;
  }
}

const logisticLoss: BoostingLoss = {
  name: 'logistic',
  outputs: 1,
  init(outcomes) {
    let positives = 0;
    for (const y of outcomes) positives += y;
    const p = clamp(positives / outcomes.length, 1e-12, 1 - 1e-12);
    return Float64Array.of(Math.log(p / (1 - p)));
  },
  gradients(raw, outcomes, gradient, hessian) {
    for (let i = 0; i < outcomes.length; i++) {
      const p = sigmoid(raw[i]!);
      gradient[i] = p - outcomes[i]!;
      hessian[i] = p * (1 - p);
    }
  },
  rowLoss(raw, i, outcome) {
    const f = raw[i]!;
    // log(1 + e^f) − y·f, written to stay finite for large |f|.
    return Math.max(f, 0) + Math.log1p(Math.exp(-Math.abs(f))) - outcome * f;
  },
};

function softmaxLoss(classes: number): BoostingLoss {
  const exps = new Float64Array(classes);
  return {
    name: 'softmax',
    outputs: classes,
    init(outcomes) {
      const counts = new Float64Array(classes);
      for (const y of outcomes) counts[y]!++;
      // Log priors; a class absent from training gets a tiny probability rather than −∞.
      return counts.map((c) => Math.log(Math.max(c, 1e-12) / outcomes.length));
    },
    gradients(raw, outcomes, gradient, hessian) {
      for (let i = 0; i < outcomes.length; i++) {
        const offset = i * classes;
        let max = -Infinity;
        for (let k = 0; k < classes; k++) max = Math.max(max, raw[offset + k]!);
        let total = 0;
        for (let k = 0; k < classes; k++) {
          exps[k] = Math.exp(raw[offset + k]! - max);
          total += exps[k]!;
        }
        const y = outcomes[i]!;
        for (let k = 0; k < classes; k++) {
          const p = exps[k]! / total;
          gradient[offset + k] = p - (y === k ? 1 : 0);
          hessian[offset + k] = p * (1 - p);
        }
      }
    },
    rowLoss(raw, i, outcome) {
      const offset = i * classes;
      let max = -Infinity;
      for (let k = 0; k < classes; k++) max = Math.max(max, raw[offset + k]!);
      let total = 0;
      for (let k = 0; k < classes; k++) total += Math.exp(raw[offset + k]! - max);
      return max + Math.log(total) - raw[offset + outcome]!;
    },
  };
}

const squaredErrorLoss: BoostingLoss = {
  name: 'squared-error',
  outputs: 1,
  init(outcomes) {
    return Float64Array.of(mean(outcomes));
  },
  gradients(raw, outcomes, gradient, hessian) {
    for (let i = 0; i < outcomes.length; i++) {
      gradient[i] = raw[i]! - outcomes[i]!;
      hessian[i] = 1;
    }
  },
  rowLoss(raw, i, outcome) {
    const r = raw[i]! - outcome;
    return (r * r) / 2;
  },
};

const poissonLoss: BoostingLoss = {
  name: 'poisson',
  outputs: 1,
  init(outcomes) {
    return Float64Array.of(Math.log(Math.max(mean(outcomes), 1e-12)));
  },
  gradients(raw, outcomes, gradient, hessian) {
    for (let i = 0; i < outcomes.length; i++) {
      const mu = Math.exp(raw[i]!);
      gradient[i] = mu - outcomes[i]!;
      hessian[i] = mu;
    }
  },
  rowLoss(raw, i, outcome) {
    return Math.exp(raw[i]!) - outcome * raw[i]!;
  },
};

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function mean(values: Float64Array): number {
  let total = 0;
  for (const v of values) total += v;
  return total / values.length;
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, x));
}
