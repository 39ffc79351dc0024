import type { LabelItem } from './task-items.ts';
import type { CellValue, Condition, LabellingFunction } from './task-spec.ts';

/** A vote matrix: row per item, column per voter (labelling function or annotator), class index or −1 (abstain). */
export interface Votes {
  items: number;
  voters: number;
  /** Row-major, items × voters. */
  data: Int32Array;
}

/** Whether `condition` holds for the value of its field. Text comparisons ignore case unless `caseSensitive`. */
export function conditionHolds(condition: Condition, value: CellValue | undefined): boolean {
  if (condition.op === 'missing') return value === null || value === undefined || value === '';
  if (value === null || value === undefined)
    return condition.op === 'not-contains' || condition.op === 'not-equals';
  const fold = (v: unknown) => (condition.caseSensitive ? String(v) : String(v).toLowerCase());
  const target = condition.value;
  switch (condition.op) {
    case 'contains':
      return fold(value).includes(fold(target));
    case 'not-contains':
      return !fold(value).includes(fold(target));
    case 'equals':
      return fold(value) === fold(target);
    case 'not-equals':
      return fold(value) !== fold(target);
    case 'matches':
      return new RegExp(String(target), condition.caseSensitive ? 'u' : 'iu').test(String(value));
    case 'in':
      return (Array.isArray(target) ? target : [target]).some((t) => fold(t) === fold(value));
    case 'gte':
      return Number(value) >= Number(target);
    case 'lte':
      return Number(value) <= Number(target);
  }
}

/** Applies each labelling function to each item's context: the class it votes, or −1 where it abstains. */
export function applyLabellingFunctions(
  items: readonly LabelItem[],
  functions: readonly LabellingFunction[],
  classes: readonly string[],
): Votes {
  const data = new Int32Array(items.length * functions.length).fill(-1);
  items.forEach((item, i) => {
    functions.forEach((lf, f) => {
      if (lf.when.every((c) => conditionHolds(c, item.context[c.field])))
        data[i * functions.length + f] = classes.indexOf(lf.label);
    });
  });
  return { items: items.length, voters: functions.length, data };
}

/** One row of the labelling-function table. */
export interface LabellingFunctionStats {
  name: string;
  label: string;
  /** Share of items it votes on. */
  coverage: number;
  /** Share of items it votes on where another function votes too. */
  overlap: number;
  /** Share of items it votes on where another function votes another class. */
  conflict: number;
  /** Against known labels (gold or human), over the items it votes on that have one. */
  accuracy?: { items: number; share: number };
}

/** Coverage, overlap and conflict of each function (Snorkel's LF summary), and accuracy where labels are known. */
export function labellingFunctionTable(
  votes: Votes,
  functions: readonly LabellingFunction[],
  known?: ReadonlyMap<number, number>,
): LabellingFunctionStats[] {
  return functions.map((lf, f) => {
    let covered = 0;
    let overlapping = 0;
    let conflicting = 0;
    let checked = 0;
    let right = 0;
    for (let i = 0; i < votes.items; i++) {
      const vote = votes.data[i * votes.voters + f]!;
      if (vote < 0) continue;
      covered++;
      let other = false;
      let disagree = false;
      for (let g = 0; g < votes.voters; g++) {
        const v = votes.data[i * votes.voters + g]!;
        if (g === f || v < 0) continue;
        other = true;
        if (v !== vote) disagree = true;
      }
      if (other) overlapping++;
      if (disagree) conflicting++;
      const truth = known?.get(i);
      if (truth !== undefined) {
        checked++;
        if (truth === vote) right++;
      }
    }
    const n = votes.items || 1;
    return {
      name: lf.name,
      label: lf.label,
      coverage: covered / n,
      overlap: overlapping / n,
      conflict: conflicting / n,
      ...(known ? { accuracy: { items: checked, share: checked ? right / checked : Number.NaN } } : {}),
    };
  });
}
