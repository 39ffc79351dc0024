import type { Votes } from './labelling-functions.ts';

/** Class probabilities per item; null where no voter voted. */
export type ProbabilisticLabels = (Float64Array | null)[];

/** Majority vote as probabilities: each class's share of the item's votes (ties stay ties). */
export function majorityVote(votes: Votes, classes: number): ProbabilisticLabels {
  const out: ProbabilisticLabels = [];
  for (let i = 0; i < votes.items; i++) {
    const p = new Float64Array(classes);
    let total = 0;
    for (let v = 0; v < votes.voters; v++) {
      const c = votes.data[i * votes.voters + v]!;
      if (c >= 0) {
        p[c]!++;
        total++;
      }
    }
    if (!total) out.push(null);
    else out.push(p.map((x) => x / total));
  }
  return out;
}

export interface DawidSkeneResult {
  /** P(true class | votes) per item; null where no voter voted. */
  posteriors: ProbabilisticLabels;
  /** confusion[voter][true][given] = P(voter says given | true class). */
  confusion: number[][][];
  priors: number[];
  iterations: number;
  converged: boolean;
}

/**
 * Dawid & Skene (1979) by EM: each voter (labelling function or annotator) has a confusion matrix;
 * the true classes are latent. Initialised from majority vote, so the same votes give the same
 * result; `smoothing` (a Dirichlet pseudo-count) keeps unseen cells from being exactly zero.
 */
export function dawidSkene(
  votes: Votes,
  classes: number,
  options: { maxIterations?: number; tolerance?: number; smoothing?: number } = {},
): DawidSkeneResult {
  const maxIterations = options.maxIterations ?? 1000;
  const tolerance = options.tolerance ?? 1e-6;
  const smoothing = options.smoothing ?? 0.01;
  const { items, voters, data } = votes;
  let posteriors = majorityVote(votes, classes);
  let confusion: number[][][] = [];
  let priors: number[] = [];
  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    // M-step: priors and confusion matrices from the current posteriors.
    priors = Array<number>(classes).fill(smoothing);
    confusion = Array.from({ length: voters }, () =>
      Array.from({ length: classes }, () => Array<number>(classes).fill(smoothing)),
    );
    for (let i = 0; i < items; i++) {
      const t = posteriors[i];
      if (!t) continue;
      for (let c = 0; c < classes; c++) priors[c]! += t[c]!;
      for (let v = 0; v < voters; v++) {
        const given = data[i * voters + v]!;
        if (given < 0) continue;
        for (let c = 0; c < classes; c++) confusion[v]![c]![given]! += t[c]!;
      }
    }
    const priorTotal = priors.reduce((a, b) => a + b, 0);
    priors = priors.map((p) => p / priorTotal);
    for (const matrix of confusion) {
      for (const row of matrix) {
        const total = row.reduce((a, b) => a + b, 0);
        for (let g = 0; g < classes; g++) row[g] = row[g]! / total;
      }
    }
    // E-step: posteriors from priors and confusion matrices (in logs, for many voters).
    let change = 0;
    const logPriors = priors.map(Math.log);
    const logConfusion = confusion.map((m) => m.map((row) => row.map(Math.log)));
    const next: ProbabilisticLabels = new Array(items);
    const log = new Float64Array(classes);
    for (let i = 0; i < items; i++) {
      const previous = posteriors[i];
      if (!previous) {
        next[i] = null;
        continue;
      }
      for (let c = 0; c < classes; c++) log[c] = logPriors[c]!;
      for (let v = 0; v < voters; v++) {
        const given = data[i * voters + v]!;
        if (given < 0) continue;
        const matrix = logConfusion[v]!;
        for (let c = 0; c < classes; c++) log[c]! += matrix[c]![given]!;
      }
      let max = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < classes; c++) if (log[c]! > max) max = log[c]!;
      const p = new Float64Array(classes);
      let total = 0;
      for (let c = 0; c < classes; c++) {
        p[c] = Math.exp(log[c]! - max);
        total += p[c]!;
      }
      for (let c = 0; c < classes; c++) {
        p[c] = p[c]! / total;
        change = Math.max(change, Math.abs(p[c]! - previous[c]!));
      }
      next[i] = p;
    }
    posteriors = next;
    if (change < tolerance) {
      converged = true;
      iterations++;
      break;
    }
  }
  return { posteriors, confusion, priors, iterations, converged };
}

/** The most probable class and its probability, as the page's suggestion; undefined where none. */
export function suggestionOf(
  probabilities: Float64Array | null,
  classes: readonly string[],
  source: string,
): { label: string; confidence: number; source: string } | undefined {
  if (!probabilities) return undefined;
  let best = 0;
  for (let c = 1; c < probabilities.length; c++) if (probabilities[c]! > probabilities[best]!) best = c;
  return { label: classes[best]!, confidence: probabilities[best]!, source };
}
