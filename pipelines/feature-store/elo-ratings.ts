import type { EloView } from './feature-view-schema.ts';

/** One pairwise event as the Elo engine reads it; `first` is the side that may get home advantage. */
export interface EloEvent {
  t: number;
  /** Ordinal from which the result is known (later than `t` for a late row). */
  avail: number;
  season: number;
  first: string;
  second: string;
  firstScore: number | null;
  secondScore: number | null;
  neutral: boolean;
  k: number;
}

export interface EloState {
  rating: number;
  /** Season ordinal of the entity's latest event, for regression to the mean. */
  season: number;
  /** Time ordinal of the last result applied; NaN before any. */
  asOf: number;
}

export interface EloRun {
  /** Ratings before each event: `[2i]` for the first role, `[2i + 1]` for the second. */
  pre: Float64Array;
  asOf: Float64Array;
  states: Map<string, EloState>;
}

function goalMarginMultiplier(margin: number): number {
  const m = Math.abs(margin);
  if (m <= 1) return 1;
  if (m === 2) return 1.5;
  return (11 + m) / 8;
}

/** The rating an entity starts from, or carries into `season`, per the view's parameters. */
export function ratingFor(
  view: EloView,
  state: EloState | undefined,
  season: number,
  firstSeason: number,
): { rating: number; asOf: number } {
  if (!state)
    return { rating: season === firstSeason ? view.initial : (view.newcomer ?? view.initial), asOf: NaN };
  if (view.seasonRegression !== undefined && season > state.season) {
    return {
      rating: view.initial + (1 - view.seasonRegression) * (state.rating - view.initial),
      asOf: state.asOf,
    };
  }
  return { rating: state.rating, asOf: state.asOf };
}

/**
 * Sequential Elo over events sorted by time. All events of one time are rated from the state
 * before that time; a result is applied once it is known (`avail` strictly before the time being
 * rated), in order of availability, so a late row changes ratings only from when it arrived.
 * With `until`, stops before that time and applies every result known before it: the state an
 * online store holds at `until`.
 */
export function runElo(
  view: EloView,
  events: readonly EloEvent[],
  firstSeason: number,
  until = Number.POSITIVE_INFINITY,
): EloRun {
  const cursor = new EloCursor(view, events, firstSeason);
  cursor.advanceTo(until);
  return { pre: cursor.pre, asOf: cursor.asOf, states: cursor.states };
}

/**
 * `runElo` that can go on: after `advanceTo(u1)`, `advanceTo(u2)` (u2 ≥ u1) performs exactly the
 * operations `runElo(…, u2)` performs after those of `runElo(…, u1)`, in the same order, so its
 * states are bit for bit those of a fresh run to u2. (Stopping at u1 applies the results known
 * before u1; the fresh run applies the same prefix of the availability order before its first
 * time at or after u1.) Serving many times in increasing order then costs one pass, not one each.
 */
export class EloCursor {
  /** Ratings before each event rated so far: `[2i]` for the first role, `[2i + 1]` for the second. */
  readonly pre: Float64Array;
  readonly asOf: Float64Array;
  readonly states = new Map<string, EloState>();
  /** The `until` of the last advance; a cursor never goes back. */
  position = Number.NEGATIVE_INFINITY;
  readonly #view: EloView;
  readonly #events: readonly EloEvent[];
  readonly #firstSeason: number;
  readonly #order: number[];
  #next = 0;
  #start = 0;

  constructor(view: EloView, events: readonly EloEvent[], firstSeason: number) {
    this.#view = view;
    this.#events = events;
    this.#firstSeason = firstSeason;
    this.pre = new Float64Array(events.length * 2).fill(NaN);
    this.asOf = new Float64Array(events.length * 2).fill(NaN);
    this.#order = events
      .map((_, i) => i)
      .sort((a, b) => events[a]!.avail - events[b]!.avail || events[a]!.t - events[b]!.t || a - b);
  }

  advanceTo(until: number): void {
    if (until < this.position)
      throw new Error(`An Elo cursor at ${this.position} cannot go back to ${until}.`);
    this.position = until;
    const events = this.#events;
    let start = this.#start;
    while (start < events.length && events[start]!.t < until) {
      const t = events[start]!.t;
      let end = start;
      while (end < events.length && events[end]!.t === t) end++;
      this.#applyKnownBefore(t);
      for (let i = start; i < end; i++) {
        const event = events[i]!;
        const a = this.#touch(event.first, event.season);
        const b = this.#touch(event.second, event.season);
        this.pre[2 * i] = a.rating;
        this.pre[2 * i + 1] = b.rating;
        this.asOf[2 * i] = a.asOf;
        this.asOf[2 * i + 1] = b.asOf;
      }
      start = end;
    }
    this.#start = start;
    if (Number.isFinite(until)) this.#applyKnownBefore(until);
  }

  #touch(entity: string, season: number): EloState {
    const state = this.states.get(entity);
    const { rating, asOf: last } = ratingFor(this.#view, state, season, this.#firstSeason);
    const updated = { rating, season: Math.max(season, state?.season ?? season), asOf: last };
    this.states.set(entity, updated);
    return updated;
  }

  #applyKnownBefore(t: number): void {
    const events = this.#events;
    const order = this.#order;
    const view = this.#view;
    while (this.#next < order.length && events[order[this.#next]!]!.avail < t) {
      const event = events[order[this.#next++]!]!;
      if (event.firstScore === null || event.secondScore === null) continue;
      const a = this.#touch(event.first, event.season);
      const b = this.#touch(event.second, event.season);
      const advantage = event.neutral ? 0 : view.homeAdvantage;
      const expected = 1 / (1 + 10 ** ((b.rating - a.rating - advantage) / 400));
      const actual =
        event.firstScore > event.secondScore ? 1 : event.firstScore === event.secondScore ? 0.5 : 0;
      const multiplier = view.marginMultiplier
        ? goalMarginMultiplier(event.firstScore - event.secondScore)
        : 1;
      const delta = event.k * multiplier * (actual - expected);
      a.rating += delta;
      b.rating -= delta;
      a.asOf = event.t;
      b.asOf = event.t;
    }
  }
}
