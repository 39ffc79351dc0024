/**
 * Quantile binning for histogram trees, after scikit-learn's HistGradientBoosting: a feature with at
 * most `maxBins` distinct values gets a cut between each pair of neighbours (their midpoint); otherwise
 * the cuts are the 1/maxBins … (maxBins−1)/maxBins quantiles (midpoint interpolation), deduplicated.
 * A value's bin is the number of cuts strictly below it, so `bin ≤ b` ⇔ `x ≤ cuts[b]`.
 */

/** Sorted, distinct cut points for one feature's column. `maxBins` is at most 255. */
export function binEdges(column: Float64Array, maxBins: number): Float64Array {
  const sorted = Float64Array.from(column).sort();
  const n = sorted.length;
  let distinct = 0;
  for (let i = 0; i < n; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) distinct++;
  if (distinct <= maxBins) {
    const cuts = new Float64Array(Math.max(0, distinct - 1));
    let c = 0;
    for (let i = 1; i < n; i++) {
      if (sorted[i] !== sorted[i - 1]) cuts[c++] = (sorted[i - 1]! + sorted[i]!) / 2;
    }
    return cuts;
  }
  const cuts: number[] = [];
  for (let b = 1; b < maxBins; b++) {
    const position = (b / maxBins) * (n - 1);
    const cut = (sorted[Math.floor(position)]! + sorted[Math.ceil(position)]!) / 2;
    // A cut at or above the maximum would put every row on one side.
    if (cut < sorted[n - 1]! && cut !== cuts.at(-1)) cuts.push(cut);
  }
  return Float64Array.from(cuts);
}

/** The number of cuts strictly below `value` (binary search). */
export function binOf(value: number, cuts: Float64Array): number {
  let low = 0;
  let high = cuts.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (cuts[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** A feature-major matrix of bin indices: `bins[j][i]` is row i's bin on feature j. */
export interface BinnedMatrix {
  rows: number;
  cuts: Float64Array[];
  bins: Uint8Array[];
}

/** Bins every column of `columns` (feature-major: `columns[j][i]`). */
export function binColumns(columns: readonly Float64Array[], maxBins: number): BinnedMatrix {
  const cuts = columns.map((column) => binEdges(column, maxBins));
  const bins = columns.map((column, j) => {
    const out = new Uint8Array(column.length);
    const edges = cuts[j]!;
    for (let i = 0; i < column.length; i++) out[i] = binOf(column[i]!, edges);
    return out;
  });
  return { rows: columns[0]?.length ?? 0, cuts, bins };
}
