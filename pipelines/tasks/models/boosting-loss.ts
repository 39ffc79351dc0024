import type { Task } from '../task.ts';

/**
 * The loss a boosted ensemble descends, by task. Raw scores are stored row-major, `outputs` per row
 * (`raw[i * outputs + k]`); the link from raw scores to a forecast lives in `gradient-boosting.ts`.
 * Gradients and Hessians are of the per-row loss with respect to each raw score; the Hessian is its
 * exact diagonal, as scikit-learn's HistGradientBoosting uses.
 */
export interface BoostingLoss {
  name: BoostingLossName;
  /** Raw scores per row: 1, or the number of classes for softmax. */
  outputs: number;
  /** The constant raw scores that minimise the training loss (log-odds, log-priors, mean, log-mean). */
  init(outcomes: Float64Array): Float64Array;
  /** Fills `gradient[i * outputs + k]` and `hessian[…]` for every row from the current raw scores. */
  gradients(raw: Float64Array, outcomes: Float64Array, gradient: Float64Array, hessian: Float64Array): void;
  /** Row i's loss: log loss, half squared error, or Poisson negative log-likelihood without the log(y!) term. */
  rowLoss(raw: Float64Array, i: number, outcome: number): number;
  /** Losses with parameters of their own (the cumulative logit's cut points) refit them after each round. */
  afterRound?(raw: Float64Array, outcomes: Float64Array): void;
  /** Those parameters, to store in the artifact. */
  thresholds?(): number[];
}

export const boostingLossNames = [
  'logistic',
  'softmax',
  'cumulative-logit',
  'squared-error',
  'poisson',
] as const;
export type BoostingLossName = (typeof boostingLossNames)[number];

/**
 * A fresh loss for `task` (fresh because the cumulative logit carries state): logistic (binary),
 * softmax (multiclass; ordinal when `ordinal` says so), cumulative logit (ordinal by default),
 * squared error (regression), Poisson (count).
 */
export function boostingLossFor(
  task: Task,
  ordinal: 'cumulative-logit' | 'softmax' = 'cumulative-logit',
): BoostingLoss {
  switch (task.kind) {
    case 'binary':
      return logisticLoss;
    case 'multiclass':
      return softmaxLoss(task.classes.length);
    case 'ordinal':
      return ordinal === 'softmax'
        ? softmaxLoss(task.classes.length)
        : cumulativeLogitLoss(task.classes.length);
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

/**
 * The cumulative-link (proportional odds) model: one raw score f per row and increasing cut points
 * θ₀ < … < θ_{K−2}, with P(y ≤ k) = σ(θ_k − f). Trees descend the negative log-likelihood in f
 * (log-concave, so the Hessian is positive); after every round the cut points take one damped
 * Newton step each for the current scores, and stay ordered.
 */
export function cumulativeLogitLoss(classes: number): BoostingLoss {
  const cuts = new Float64Array(classes - 1);
  // The probability of a row's own class and its first two derivatives in f, for a given score.
  let p = 0;
  let dp = 0;
  let d2p = 0;
  let upperSlope = 0;
  let lowerSlope = 0;
  let upperCurve = 0;
  let lowerCurve = 0;
  const evaluate = (f: number, y: number) => {
    let su = 1;
    upperSlope = 0;
    upperCurve = 0;
    if (y < classes - 1) {
      su = sigmoid(cuts[y]! - f);
      upperSlope = su * (1 - su);
      upperCurve = upperSlope * (1 - 2 * su);
    }
    let sl = 0;
    lowerSlope = 0;
    lowerCurve = 0;
    if (y > 0) {
      sl = sigmoid(cuts[y - 1]! - f);
      lowerSlope = sl * (1 - sl);
      lowerCurve = lowerSlope * (1 - 2 * sl);
    }
    p = Math.max(su - sl, 1e-300);
    // d/df σ(θ − f) = −σ′, d²/df² = σ″.
    dp = lowerSlope - upperSlope;
    d2p = upperCurve - lowerCurve;
  };
  return {
    name: 'cumulative-logit',
    outputs: 1,
    init(outcomes) {
      const counts = new Float64Array(classes);
      for (const y of outcomes) counts[y]!++;
      let below = 0;
      for (let k = 0; k < classes - 1; k++) {
        below += counts[k]!;
        const q = Math.min(Math.max(below / outcomes.length, 1e-6), 1 - 1e-6);
        cuts[k] = Math.max(Math.log(q / (1 - q)), k > 0 ? cuts[k - 1]! + 1e-6 : Number.NEGATIVE_INFINITY);
      }
      return Float64Array.of(0);
    },
    gradients(raw, outcomes, gradient, hessian) {
      for (let i = 0; i < outcomes.length; i++) {
        evaluate(raw[i]!, outcomes[i]!);
        gradient[i] = -dp / p;
        hessian[i] = Math.max((dp * dp - p * d2p) / (p * p), 1e-12);
      }
    },
    rowLoss(raw, i, outcome) {
      evaluate(raw[i]!, outcome);
      return -Math.log(p);
    },
    afterRound(raw, outcomes) {
      const g = new Float64Array(classes - 1);
      const h = new Float64Array(classes - 1);
      for (let i = 0; i < outcomes.length; i++) {
        const y = outcomes[i]!;
        evaluate(raw[i]!, y);
        // θ_y is the row's upper cut (P rises with it), θ_{y−1} its lower one (P falls).
        if (y < classes - 1) {
          g[y]! -= upperSlope / p;
          h[y]! += (upperSlope * upperSlope - p * upperCurve) / (p * p);
        }
        if (y > 0) {
          g[y - 1]! += lowerSlope / p;
          h[y - 1]! += (lowerSlope * lowerSlope + p * lowerCurve) / (p * p);
        }
      }
      for (let k = 0; k < classes - 1; k++) {
        if (h[k]! > 0) cuts[k]! -= Math.max(-1, Math.min(1, g[k]! / h[k]!));
        if (k > 0 && cuts[k]! <= cuts[k - 1]!) cuts[k] = cuts[k - 1]! + 1e-6;
      }
    },
    thresholds() {
      return Array.from(cuts);
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
