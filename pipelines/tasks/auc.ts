/**
 * Area under the ROC curve of a binary score, from ranks (ties count one half), with DeLong's
 * variance (DeLong, DeLong & Clarke-Pearson 1988) computed from mid-ranks in O(n log n)
 * (Sun & Xu 2014). Pure: no Node imports.
 */

import { normalQuantile } from './distributions.ts';

export interface AucEstimate {
  value: number;
  /** DeLong's estimate of the variance of the AUC. */
  variance: number;
  /** The normal-approximation interval, value ± z·√variance, clipped to [0, 1]. */
  lower: number;
  upper: number;
}

/** AUC of `scores` for `labels` (1 positive, 0 negative). */
export function rankAuc(scores: readonly number[], labels: readonly number[]): number {
  return delongAuc(scores, labels).value;
}

/**
 * AUC with DeLong's variance and interval at `level` (95% by default). Needs at least one positive
 * and one negative; a variance needs two of each (with one, it is reported as 0).
 */
export function delongAuc(scores: readonly number[], labels: readonly number[], level = 0.95): AucEstimate {
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < scores.length; i++) (labels[i] === 1 ? positives : negatives).push(scores[i]!);
  const m = positives.length;
  const n = negatives.length;
  if (m === 0 || n === 0) {
    throw new RangeError(
      `Expected both classes among the rows to compute an AUC, but got ${m} positive and ${n} negative rows.`,
    );
  }
  const all = midRanks([...positives, ...negatives]);
  const withinPositives = midRanks(positives);
  const withinNegatives = midRanks(negatives);
  // V10[i]: share of negatives positive i beats; V01[j]: share of positives that beat negative j.
  const v10 = positives.map((_, i) => (all[i]! - withinPositives[i]!) / n);
  const v01 = negatives.map((_, j) => 1 - (all[m + j]! - withinNegatives[j]!) / m);
  const value = v10.reduce((s, v) => s + v, 0) / m;
  const variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
  const z = normalQuantile(1 - (1 - level) / 2);
  const half = z * Math.sqrt(variance);
  return { value, variance, lower: Math.max(0, value - half), upper: Math.min(1, value + half) };
}

/** 1-based ranks, ties sharing the mean of their ranks. */
function midRanks(values: readonly number[]): Float64Array {
  const order = values.map((_, i) => i).sort((a, b) => values[a]! - values[b]!);
  const ranks = new Float64Array(values.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && values[order[j + 1]!] === values[order[i]!]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}

function sampleVariance(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  return values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
}

/**
 * `rankAuc` of the rows `rows` (indices into `scores` and `labels`, repeats allowed), bit for bit,
 * in O(n + distinct scores) per call instead of three sorts: the scores are sorted once, and each
 * resample only counts its rows per distinct score. For the bootstrap, which asks for it a
 * thousand times over the same rows.
 */
export function resampledAuc(
  scores: readonly number[],
  labels: readonly number[],
): (rows: ArrayLike<number>) => number {
  // Distinct scores in increasing order; group[i] is row i's position among them. Grouping by
  // === matches midRanks' ties (and its comparator's order).
  const order = scores.map((_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  const group = new Int32Array(scores.length);
  let groups = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && scores[order[k]!] !== scores[order[k - 1]!]) groups++;
    group[order[k]!] = groups;
  }
  if (order.length) groups++;
  const positivesIn = new Float64Array(groups);
  const negativesIn = new Float64Array(groups);
  const share = new Float64Array(groups);
  return (rows) => {
    positivesIn.fill(0);
    negativesIn.fill(0);
    let m = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      if (labels[i] === 1) {
        positivesIn[group[i]!]!++;
        m++;
      } else negativesIn[group[i]!]!++;
    }
    const n = rows.length - m;
    if (m === 0 || n === 0) {
      throw new RangeError(
        `Expected both classes among the rows to compute an AUC, but got ${m} positive and ${n} negative rows.`,
      );
    }
    // A tie group spanning 0-based sorted positions i..j has the mid-rank (i + j) / 2 + 1, as in
    // midRanks; all of it is exact (half-integers), so each share equals delongAuc's v10 term.
    let belowAll = 0;
    let belowPositives = 0;
    for (let g = 0; g < groups; g++) {
      const p = positivesIn[g]!;
      const all = p + negativesIn[g]!;
      if (p > 0) {
        const rankAll = (belowAll + (belowAll + all - 1)) / 2 + 1;
        const rankPositives = (belowPositives + (belowPositives + p - 1)) / 2 + 1;
        share[g] = (rankAll - rankPositives) / n;
      }
      belowAll += all;
      belowPositives += p;
    }
    // Summed in the rows' order, as delongAuc sums v10 over the positives in input order.
    let sum = 0;
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      if (labels[i] === 1) sum += share[group[i]!]!;
    }
    return sum / m;
  };
}
