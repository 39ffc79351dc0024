import type { Aggregate, WindowedView } from './feature-view-schema.ts';

/** One event of an entity's timeline, as the as-of evaluator reads it. */
export interface TimelineEvent {
  row: number;
  t: number;
  avail: number;
  season: number;
  role: string;
  values: Record<string, number | null>;
}

/** What an entity's timeline says about a view at a moment. */
export interface AsOfValue {
  value: number | null;
  /** Time ordinal of the latest event read; NaN when none. */
  asOf: number;
}

/**
 * Evaluates a lag, rolling or since view for one entity as of time `t` (in season `season`),
 * reading only events known then: time strictly before `t` and available strictly before `t`.
 * `history` is the entity's timeline sorted by time, then input row. This is the online store's
 * computation and the reference the offline SQL is checked against.
 */
export function evaluateAsOf(
  view: WindowedView,
  history: readonly TimelineEvent[],
  t: number,
  season: number,
): AsOfValue {
  const known: TimelineEvent[] = [];
  for (const event of history) {
    if (event.t >= t) break;
    if (event.avail >= t) continue;
    if (view.historyRoles && !view.historyRoles.includes(event.role)) continue;
    if (view.kind === 'rolling' && view.sameSeason && event.season !== season) continue;
    known.push(event);
  }
  const last = known.at(-1);
  if (view.kind === 'since') {
    return last
      ? { value: Math.min(view.cap, t - last.t), asOf: last.t }
      : { value: view.default ?? view.cap, asOf: NaN };
  }
  if (view.kind === 'lag') {
    const event = known[known.length - view.offset];
    const value = event?.values[view.column] ?? null;
    return { value: value ?? view.default ?? null, asOf: event ? event.t : NaN };
  }
  let window: TimelineEvent[];
  if ('events' in view.window) window = known.slice(Math.max(0, known.length - view.window.events));
  else if ('days' in view.window) {
    const from = t - view.window.days;
    window = known.filter((event) => event.t >= from);
  } else {
    const from = season - view.window.seasons;
    window = known.filter((event) => event.season >= from && event.season < season);
  }
  const values = window.flatMap((event) => {
    const value = event.values[view.column];
    return value === null || value === undefined ? [] : [value];
  });
  const asOf = window.length ? Math.max(...window.map((event) => event.t)) : NaN;
  const value = aggregate(view.aggregate, values);
  return { value: value ?? view.default ?? null, asOf };
}

/** An aggregate as SQL computes it: NULL over no values (count: 0), sample standard deviation. */
export function aggregate(kind: Aggregate, values: readonly number[]): number | null {
  if (kind === 'count') return values.length;
  if (values.length === 0) return null;
  switch (kind) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'mean':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'std': {
      if (values.length < 2) return null;
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
      return Math.sqrt(squares / (values.length - 1));
    }
  }
}
