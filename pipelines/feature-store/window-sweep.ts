import type { Aggregate, WindowedView } from './feature-view-schema.ts';

/**
 * One entity type's timeline, sorted by entity, then time, then input row, as typed columns.
 * `segment[k]` is the index of the first row of row k's entity.
 */
export interface SortedTimeline {
  size: number;
  row: Int32Array;
  role: Int32Array;
  t: Int32Array;
  season: Int32Array;
  segment: Int32Array;
  /** Perspective columns; NaN for a missing value. */
  columns: Record<string, Float64Array>;
}

export interface SweepOutput {
  value: Float64Array;
  asOf: Float64Array;
}

/**
 * Computes a lag, rolling or since view for every row of a timeline in one pass, reading for row k
 * only rows of the same entity before k. Valid only when the view's history is every event of the
 * entity and, for lag and rolling views, no entity has two events at one time (then "before k" is
 * "strictly earlier time"); a since view skips same-time rows itself. Other views take the as-of
 * join in SQL. Semantics equal the SQL and the as-of
 * evaluator: missing values are skipped, `count` of nothing is 0, `std` is the sample deviation,
 * `default` replaces a missing result. Sums and means slide (add what enters, subtract what leaves,
 * restarting at each entity), so they may differ from SQL's in the last bits; min and max use a
 * monotonic queue; std sums its window directly, as sliding sums of squares lose precision.
 */
export function sweepView(view: WindowedView, timeline: SortedTimeline): SweepOutput {
  const { size, t, season, segment } = timeline;
  const value = new Float64Array(size).fill(NaN);
  const asOf = new Float64Array(size).fill(NaN);
  if (view.kind === 'since') {
    const fallback = view.default ?? view.cap;
    // The entity's last event at an earlier time: with ties, rows of the same time are skipped.
    let previous = -1;
    for (let k = 0; k < size; k++) {
      if (k === segment[k]) previous = -1;
      else if (t[k - 1]! < t[k]!) previous = k - 1;
      if (previous >= 0) {
        value[k] = Math.min(view.cap, t[k]! - t[previous]!);
        asOf[k] = t[previous]!;
      } else value[k] = fallback;
    }
    return { value, asOf };
  }
  const column = timeline.columns[view.column]!;
  if (view.kind === 'lag') {
    const fallback = view.default ?? NaN;
    for (let k = 0; k < size; k++) {
      const j = k - view.offset;
      if (j >= segment[k]!) {
        value[k] = Number.isNaN(column[j]!) ? fallback : column[j]!;
        asOf[k] = t[j]!;
      } else value[k] = fallback;
    }
    return { value, asOf };
  }
  const fallback = view.aggregate === 'count' ? 0 : (view.default ?? NaN);
  const aggregate = view.aggregate;
  const sameSeason = view.sameSeason === true;
  const unit = 'events' in view.window ? 0 : 'days' in view.window ? 1 : 2;
  const span =
    'events' in view.window
      ? view.window.events
      : 'days' in view.window
        ? view.window.days
        : view.window.seasons;
  let left = 0;
  let low = 0;
  let windowFrom = 0;
  let windowTo = 0;
  let sum = 0;
  let count = 0;
  const extreme = aggregate === 'min' || aggregate === 'max';
  const deque = new Int32Array(extreme ? size : 0);
  let head = 0;
  let tail = 0;
  for (let k = 0; k < size; k++) {
    if (k === segment[k]) low = k;
    // Seasons are contiguous within an entity's time-sorted rows.
    if (sameSeason && season[low] !== season[k]) {
      low = k;
      while (low > segment[k]! && season[low - 1] === season[k]) low--;
    }
    let from: number;
    let to = k;
    if (unit === 0) from = Math.max(k - span, low);
    else {
      if (left < low || left > k) left = low;
      if (unit === 1) {
        const start = t[k]! - span;
        while (left < k && t[left]! < start) left++;
      } else {
        const start = season[k]! - span;
        while (left < k && season[left]! < start) left++;
        while (to > left && season[to - 1]! >= season[k]!) to--;
      }
      from = left;
    }
    if (to > from) asOf[k] = t[to - 1]!;
    let result: number;
    if (aggregate === 'std') result = aggregateRange(aggregate, column, from, to);
    else {
      // Windows only slide forward within an entity: add what enters, drop what leaves.
      if (from < windowFrom || to < windowTo || from > windowTo) {
        windowFrom = from;
        windowTo = from;
        sum = 0;
        count = 0;
        head = 0;
        tail = 0;
      }
      while (windowTo < to) {
        const v = column[windowTo]!;
        if (!Number.isNaN(v)) {
          sum += v;
          count++;
          if (extreme) {
            while (
              tail > head &&
              (aggregate === 'min' ? column[deque[tail - 1]!]! >= v : column[deque[tail - 1]!]! <= v)
            )
              tail--;
            deque[tail++] = windowTo;
          }
        }
        windowTo++;
      }
      while (windowFrom < from) {
        const v = column[windowFrom]!;
        if (!Number.isNaN(v)) {
          sum -= v;
          count--;
        }
        windowFrom++;
      }
      if (extreme) while (tail > head && deque[head]! < from) head++;
      if (aggregate === 'count') result = count;
      else if (count === 0) result = NaN;
      else if (aggregate === 'sum') result = sum;
      else if (aggregate === 'mean') result = sum / count;
      else result = column[deque[head]!]!;
    }
    value[k] = Number.isNaN(result) ? fallback : result;
  }
  return { value, asOf };
}

function aggregateRange(kind: Aggregate, column: Float64Array, from: number, to: number): number {
  let n = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = from; j < to; j++) {
    const v = column[j]!;
    if (Number.isNaN(v)) continue;
    n++;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  switch (kind) {
    case 'count':
      return n;
    case 'sum':
      return n ? sum : NaN;
    case 'mean':
      return n ? sum / n : NaN;
    case 'min':
      return n ? min : NaN;
    case 'max':
      return n ? max : NaN;
    case 'std': {
      if (n < 2) return NaN;
      const mean = sum / n;
      let squares = 0;
      for (let j = from; j < to; j++) {
        const v = column[j]!;
        if (!Number.isNaN(v)) squares += (v - mean) ** 2;
      }
      return Math.sqrt(squares / (n - 1));
    }
  }
}
