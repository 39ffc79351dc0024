import { MlfolioError } from '../portfolio/errors.ts';
import { seededRandom } from './seeded-random.ts';

/** One rating: a class, or null where the coder did not rate the unit. */
export type Rating = string | null;

/** Reliability data: one row per unit (item), one column per coder (annotator). */
export type Units = readonly (readonly Rating[])[];

/**
 * Mean pairwise agreement: in each unit with two or more ratings, the share of coder pairs that
 * agree; averaged over those units. For two coders, the share of jointly rated units they agree on.
 */
export function percentAgreement(units: Units): number {
  let sum = 0;
  let counted = 0;
  for (const unit of units) {
    const values = unit.filter((v): v is string => v !== null);
    if (values.length < 2) continue;
    let agree = 0;
    for (let i = 0; i < values.length; i++)
      for (let j = i + 1; j < values.length; j++) if (values[i] === values[j]) agree++;
    sum += agree / ((values.length * (values.length - 1)) / 2);
    counted++;
  }
  return counted ? sum / counted : Number.NaN;
}

/**
 * Cohen's κ of two coders over the units both rated (as scikit-learn's `cohen_kappa_score`),
 * optionally weighted (`linear` or `quadratic`, classes in `order`).
 */
export function cohenKappa(
  a: readonly Rating[],
  b: readonly Rating[],
  options: { weights?: 'linear' | 'quadratic'; order?: readonly string[] } = {},
): number {
  const pairs: [string, string][] = [];
  for (let i = 0; i < a.length; i++) if (a[i] != null && b[i] != null) pairs.push([a[i]!, b[i]!]);
  const categories = options.order ? [...options.order] : [...new Set(pairs.flat())].sort();
  const index = new Map(categories.map((c, i) => [c, i]));
  const k = categories.length;
  const confusion = Array.from({ length: k }, () => new Float64Array(k));
  for (const [x, y] of pairs) confusion[index.get(x)!]![index.get(y)!]!++;
  const n = pairs.length;
  const rows = confusion.map((row) => row.reduce((s, v) => s + v, 0));
  const cols = categories.map((_, j) => confusion.reduce((s, row) => s + row[j]!, 0));
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const w =
        options.weights === 'linear'
          ? Math.abs(i - j)
          : options.weights === 'quadratic'
            ? (i - j) ** 2
            : i === j
              ? 0
              : 1;
      observed += (w * confusion[i]![j]!) / n;
      expected += (w * rows[i]! * cols[j]!) / (n * n);
    }
  }
  return 1 - observed / expected;
}

/**
 * Fleiss' κ over units that each have the same number of ratings (at least two). Units with
 * another number of ratings are refused, naming the first, since Fleiss' κ assumes a fixed number.
 */
export function fleissKappa(units: Units): number {
  const rated = units.map((u) => u.filter((v): v is string => v !== null));
  const n = rated[0]?.length ?? 0;
  const odd = rated.findIndex((r) => r.length !== n);
  if (n < 2 || odd !== -1) {
    throw new MlfolioError({
      code: 'E_AGREEMENT_UNEQUAL_RATINGS',
      message: `Fleiss' κ needs the same number (≥ 2) of ratings on every unit; unit ${odd === -1 ? 0 : odd} has ${rated[odd === -1 ? 0 : odd]?.length ?? 0}, unit 0 has ${n}.`,
      hint: "Use Krippendorff's α, which allows missing ratings, or keep only the units every annotator rated.",
    });
  }
  const categories = [...new Set(rated.flat())];
  const totals = new Map(categories.map((c) => [c, 0]));
  let agreement = 0;
  for (const r of rated) {
    const counts = new Map<string, number>();
    for (const v of r) counts.set(v, (counts.get(v) ?? 0) + 1);
    let s = 0;
    for (const [c, count] of counts) {
      s += count * (count - 1);
      totals.set(c, totals.get(c)! + count);
    }
    agreement += s / (n * (n - 1));
  }
  const N = rated.length;
  const observed = agreement / N;
  let expected = 0;
  for (const total of totals.values()) expected += (total / (N * n)) ** 2;
  return (observed - expected) / (1 - expected);
}

export type MeasurementLevel = 'nominal' | 'ordinal' | 'interval';

/**
 * Krippendorff's α from the coincidence matrix, with missing ratings allowed (units with fewer
 * than two ratings carry no information and are skipped). `ordinal` ranks classes in `order`
 * (required); `interval` reads classes as numbers.
 */
export function krippendorffAlpha(
  units: Units,
  options: { level: MeasurementLevel; order?: readonly string[] },
): number {
  const values =
    options.order ??
    [...new Set(units.flatMap((u) => u.filter((v): v is string => v !== null)))].sort((a, b) =>
      options.level === 'interval' ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0,
    );
  if (options.level === 'ordinal' && !options.order) {
    throw new MlfolioError({
      code: 'E_AGREEMENT_ORDER_MISSING',
      message: "Ordinal Krippendorff's α needs the order of the classes, and none was given.",
      hint: 'Pass order: the classes from lowest to highest.',
    });
  }
  const index = new Map(values.map((v, i) => [v, i]));
  const V = values.length;
  const coincidence = Array.from({ length: V }, () => new Float64Array(V));
  for (const unit of units) {
    const counts = new Float64Array(V);
    let m = 0;
    for (const v of unit) {
      if (v === null) continue;
      const i = index.get(v);
      if (i === undefined) {
        throw new MlfolioError({
          code: 'E_AGREEMENT_UNKNOWN_VALUE',
          message: `A rating "${v}" is not among the ordered classes (${values.join(', ')}).`,
          hint: 'List every class in order.',
        });
      }
      counts[i]!++;
      m++;
    }
    if (m < 2) continue;
    for (let c = 0; c < V; c++) {
      if (!counts[c]) continue;
      for (let k = 0; k < V; k++)
        coincidence[c]![k]! += (counts[c]! * (counts[k]! - (c === k ? 1 : 0))) / (m - 1);
    }
  }
  const marginals = coincidence.map((row) => row.reduce((s, v) => s + v, 0));
  const total = marginals.reduce((s, v) => s + v, 0);
  const delta = (c: number, k: number): number => {
    if (options.level === 'nominal') return c === k ? 0 : 1;
    if (options.level === 'interval') return (Number(values[c]) - Number(values[k])) ** 2;
    const [lo, hi] = c < k ? [c, k] : [k, c];
    let s = 0;
    for (let g = lo; g <= hi; g++) s += marginals[g]!;
    return (s - (marginals[lo]! + marginals[hi]!) / 2) ** 2;
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < V; c++) {
    for (let k = 0; k < V; k++) {
      const d = delta(c, k);
      observed += coincidence[c]![k]! * d;
      expected += marginals[c]! * (marginals[k]! - (c === k ? 1 : 0)) * d;
    }
  }
  return 1 - ((total - 1) * observed) / expected;
}

/** An estimate with its bootstrap percentile interval. */
export interface Interval {
  estimate: number;
  low: number;
  high: number;
  /** Resamples whose statistic was defined (a resample can have, e.g., a single class). */
  resamples: number;
}

/**
 * The statistic on `units` with a percentile bootstrap interval over units (resampled with
 * replacement, seeded, `resamples` times), at `level` (0.95 by default).
 */
export function bootstrapInterval(
  units: Units,
  statistic: (units: Units) => number,
  options: { resamples?: number; seed?: number; level?: number } = {},
): Interval {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const random = seededRandom(options.seed ?? 1);
  const estimate = statistic(units);
  const values: number[] = [];
  const sample: (readonly Rating[])[] = new Array(units.length);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < units.length; i++) sample[i] = units[Math.floor(random() * units.length)]!;
    const value = statistic(sample);
    if (Number.isFinite(value)) values.push(value);
  }
  values.sort((a, b) => a - b);
  const at = (q: number) => {
    if (!values.length) return Number.NaN;
    const position = q * (values.length - 1);
    const lo = Math.floor(position);
    return values[lo]! + (values[Math.min(lo + 1, values.length - 1)]! - values[lo]!) * (position - lo);
  };
  return { estimate, low: at((1 - level) / 2), high: at(1 - (1 - level) / 2), resamples: values.length };
}
