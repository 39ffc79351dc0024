import type { BinnedMatrix } from './feature-bins.ts';

/** How one tree is grown (all counts in rows). */
export interface TreeGrowth {
  /** Most leaves per tree; growth is best-first (the split with the largest gain next), as LightGBM and scikit-learn do. */
  maxLeaves: number;
  /** Most edges from the root to a leaf; `Infinity` for no limit. */
  maxDepth: number;
  minLeafRows: number;
  /** L2 penalty on leaf values (added to each side's Hessian sum). */
  l2: number;
  /** Multiplies every leaf value. */
  learningRate: number;
}

/**
 * A grown tree, as flat node arrays (root 0). A leaf has `feature[n] === -1` and is worth `value[n]`;
 * other nodes send a row left when its bin on `feature[n]` is at most `bin[n]`, i.e. when
 * `x ≤ threshold[n]`. `leaves` gives each leaf's rows as a range of the reordered `rows`.
 */
export interface GrownTree {
  feature: number[];
  bin: number[];
  threshold: number[];
  left: number[];
  right: number[];
  value: number[];
  leaves: { node: number; start: number; end: number }[];
}

// The smallest Hessian sum a child may have, as scikit-learn's min_hessian_to_split.
const minHessian = 1e-3;

interface OpenLeaf {
  node: number;
  start: number;
  end: number;
  depth: number;
  sumG: number;
  sumH: number;
  histogram: Histogram | undefined;
  split: Split | undefined;
}

interface Split {
  feature: number;
  bin: number;
  gain: number;
}

interface Histogram {
  /** gh[2b]: gradient sum of global bin b; gh[2b + 1]: its Hessian sum. */
  gh: Float64Array;
  count: Uint32Array;
}

/**
 * Grows histogram trees over one binned matrix. Reuse one grower for every tree of a fit: it owns
 * the histogram buffers and scratch arrays, so growing a tree allocates only the tree's own nodes.
 * Histograms are built for the smaller child only; the larger one is its parent's minus the smaller.
 */
export class HistogramTreeGrower {
  readonly #binned: BinnedMatrix;
  /** Offset of each feature's first bin in a histogram; the last entry is the total bin count. */
  readonly #offsets: Uint32Array;
  readonly #pool: Histogram[] = [];
  /**
   * Row-major global bin indices: `#rowBins[i * features + j]` is row i's bin on feature j plus that
   * feature's offset. One histogram pass reads each row's bins from one cache line.
   */
  readonly #rowBins: Uint16Array;
  readonly #scratch: Uint32Array;

  constructor(binned: BinnedMatrix) {
    this.#binned = binned;
    this.#offsets = new Uint32Array(binned.cuts.length + 1);
    for (let j = 0; j < binned.cuts.length; j++) {
      this.#offsets[j + 1] = this.#offsets[j]! + binned.cuts[j]!.length + 1;
    }
    const d = binned.bins.length;
    this.#rowBins = new Uint16Array(binned.rows * d);
    for (let j = 0; j < d; j++) {
      const column = binned.bins[j]!;
      const offset = this.#offsets[j]!;
      for (let i = 0; i < binned.rows; i++) this.#rowBins[i * d + j] = offset + column[i]!;
    }
    this.#scratch = new Uint32Array(binned.rows);
  }

  /**
   * Grows one tree on `rows` (row indices; reordered in place so each leaf's rows are contiguous)
   * from per-row gradients and Hessians indexed by row.
   */
  grow(rows: Uint32Array, gradient: Float64Array, hessian: Float64Array, growth: TreeGrowth): GrownTree {
    const tree: GrownTree = {
      feature: [],
      bin: [],
      threshold: [],
      left: [],
      right: [],
      value: [],
      leaves: [],
    };
    const newNode = (): number => {
      tree.feature.push(-1);
      tree.bin.push(0);
      tree.threshold.push(0);
      tree.left.push(-1);
      tree.right.push(-1);
      tree.value.push(0);
      return tree.feature.length - 1;
    };
    let sumG = 0;
    let sumH = 0;
    for (let r = 0; r < rows.length; r++) {
      sumG += gradient[rows[r]!]!;
      sumH += hessian[rows[r]!]!;
    }
    const root: OpenLeaf = {
      node: newNode(),
      start: 0,
      end: rows.length,
      depth: 0,
      sumG,
      sumH,
      histogram: undefined,
      split: undefined,
    };
    const open: OpenLeaf[] = [];
    const finished: OpenLeaf[] = [];
    if (this.#splittable(root, growth)) {
      root.histogram = this.#build(rows, root.start, root.end, gradient, hessian);
      root.split = this.#bestSplit(root, growth);
    }
    (root.split ? open : finished).push(root);
    let leafCount = 1;

    while (open.length > 0 && leafCount < growth.maxLeaves) {
      let pick = 0;
      for (let o = 1; o < open.length; o++) if (open[o]!.split!.gain > open[pick]!.split!.gain) pick = o;
      const parent = open.splice(pick, 1)[0]!;
      const split = parent.split!;
      const middle = this.#partition(rows, parent.start, parent.end, split);
      const left: OpenLeaf = {
        node: newNode(),
        start: parent.start,
        end: middle,
        depth: parent.depth + 1,
        sumG: 0,
        sumH: 0,
        histogram: undefined,
        split: undefined,
      };
      const right: OpenLeaf = { ...left, node: newNode(), start: middle, end: parent.end };
      const parentHistogram = parent.histogram!;
      // The children's sums come from the parent's histogram on the split feature.
      let leftG = 0;
      let leftH = 0;
      const base = this.#offsets[split.feature]!;
      for (let b = base; b <= base + split.bin; b++) {
        leftG += parentHistogram.gh[2 * b]!;
        leftH += parentHistogram.gh[2 * b + 1]!;
      }
      left.sumG = leftG;
      left.sumH = leftH;
      right.sumG = parent.sumG - leftG;
      right.sumH = parent.sumH - leftH;
      tree.feature[parent.node] = split.feature;
      tree.bin[parent.node] = split.bin;
      tree.threshold[parent.node] = this.#binned.cuts[split.feature]![split.bin]!;
      tree.left[parent.node] = left.node;
      tree.right[parent.node] = right.node;
      leafCount++;

      const canGrow = leafCount < growth.maxLeaves;
      const leftSplittable = canGrow && this.#splittable(left, growth);
      const rightSplittable = canGrow && this.#splittable(right, growth);
      if (leftSplittable || rightSplittable) {
        const [small, large] =
          left.end - left.start <= right.end - right.start ? [left, right] : [right, left];
        small.histogram = this.#build(rows, small.start, small.end, gradient, hessian);
        subtractInto(parentHistogram, small.histogram);
        large.histogram = parentHistogram;
      } else {
        this.#pool.push(parentHistogram);
      }
      parent.histogram = undefined;
      for (const child of [left, right]) {
        if (child.histogram && this.#splittable(child, growth)) child.split = this.#bestSplit(child, growth);
        if (child.split) open.push(child);
        else {
          if (child.histogram) this.#pool.push(child.histogram);
          child.histogram = undefined;
          finished.push(child);
        }
      }
    }

    for (const leaf of [...open, ...finished]) {
      if (leaf.histogram) this.#pool.push(leaf.histogram);
      tree.value[leaf.node] = (-growth.learningRate * leaf.sumG) / (leaf.sumH + growth.l2);
      tree.leaves.push({ node: leaf.node, start: leaf.start, end: leaf.end });
    }
    return tree;
  }

  #splittable(leaf: OpenLeaf, growth: TreeGrowth): boolean {
    return (
      leaf.depth < growth.maxDepth &&
      leaf.end - leaf.start >= 2 * growth.minLeafRows &&
      leaf.sumH >= 2 * minHessian
    );
  }

  #build(
    rows: Uint32Array,
    start: number,
    end: number,
    gradient: Float64Array,
    hessian: Float64Array,
  ): Histogram {
    const histogram = this.#take();
    accumulate(this.#rowBins, this.#binned.bins.length, rows, start, end, gradient, hessian, histogram);
    return histogram;
  }

  #bestSplit(leaf: OpenLeaf, growth: TreeGrowth): Split | undefined {
    const { gh, count } = leaf.histogram!;
    const { l2, minLeafRows } = growth;
    const rows = leaf.end - leaf.start;
    const parentScore = (leaf.sumG * leaf.sumG) / (leaf.sumH + l2);
    let best: Split | undefined;
    let bestGain = 0;
    for (let j = 0; j < this.#binned.cuts.length; j++) {
      const base = this.#offsets[j]!;
      const last = this.#offsets[j + 1]! - 1;
      let leftG = 0;
      let leftH = 0;
      let leftRows = 0;
      // Split after bin b: bins base..b go left.
      for (let b = base; b < last; b++) {
        leftG += gh[2 * b]!;
        leftH += gh[2 * b + 1]!;
        leftRows += count[b]!;
        if (leftRows < minLeafRows || leftH < minHessian) continue;
        if (rows - leftRows < minLeafRows) break;
        const rightH = leaf.sumH - leftH;
        if (rightH < minHessian) break;
        const rightG = leaf.sumG - leftG;
        const gain = (leftG * leftG) / (leftH + l2) + (rightG * rightG) / (rightH + l2) - parentScore;
        if (gain > bestGain) {
          bestGain = gain;
          best = { feature: j, bin: b - base, gain };
        }
      }
    }
    return best;
  }

  /** Reorders rows[start, end) so rows going left come first (stably); returns where the right ones start. */
  #partition(rows: Uint32Array, start: number, end: number, split: Split): number {
    return partitionRows(this.#binned.bins[split.feature]!, split.bin, rows, start, end, this.#scratch);
  }

  #take(): Histogram {
    const reused = this.#pool.pop();
    if (reused) {
      reused.gh.fill(0);
      reused.count.fill(0);
      return reused;
    }
    const bins = this.#offsets[this.#offsets.length - 1]!;
    return { gh: new Float64Array(2 * bins), count: new Uint32Array(bins) };
  }
}

// The hot loops live in top-level functions over typed arrays only, so V8 optimises each once,
// monomorphically, early in the first fit.

/**
 * Adds rows[start, end) to the histogram, row by row and each row's features in turn. Each bin
 * still receives its rows in the order of `rows`, so its sums are those of a feature-by-feature pass
 * bit for bit; reading a row's bins and gradients once instead of once per feature is what is saved.
 */
function accumulate(
  rowBins: Uint16Array,
  features: number,
  rows: Uint32Array,
  start: number,
  end: number,
  gradient: Float64Array,
  hessian: Float64Array,
  histogram: Histogram,
): void {
  const { gh, count } = histogram;
  for (let r = start; r < end; r++) {
    const i = rows[r]!;
    const g = gradient[i]!;
    const h = hessian[i]!;
    const at = i * features;
    for (let j = 0; j < features; j++) {
      const b = rowBins[at + j]!;
      gh[2 * b]! += g;
      gh[2 * b + 1]! += h;
      count[b]!++;
    }
  }
}

/** Stable partition of rows[start, end): bins ≤ `bin` first; returns where the others start. */
function partitionRows(
  column: Uint8Array,
  bin: number,
  rows: Uint32Array,
  start: number,
  end: number,
  scratch: Uint32Array,
): number {
  let write = start;
  let spilled = 0;
  for (let r = start; r < end; r++) {
    const i = rows[r]!;
    if (column[i]! <= bin) rows[write++] = i;
    else scratch[spilled++] = i;
  }
  rows.set(scratch.subarray(0, spilled), write);
  return write;
}

/** parent ← parent − child, bin by bin: the sibling's histogram without another pass over its rows. */
function subtractInto(parent: Histogram, child: Histogram): void {
  const { gh, count } = parent;
  for (let b = 0; b < gh.length; b++) gh[b]! -= child.gh[b]!;
  for (let b = 0; b < count.length; b++) count[b]! -= child.count[b]!;
}

/** The leaf a binned row reaches in `tree` (training side: compares bins, not values). */
export function leafOfBinnedRow(tree: GrownTree, bins: readonly Uint8Array[], i: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = bins[tree.feature[node]!]![i]! <= tree.bin[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}
