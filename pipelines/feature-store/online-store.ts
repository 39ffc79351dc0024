import { readFile } from 'node:fs/promises';
import { writeJsonAtomic } from '../../portfolio/atomic-write.ts';
import { evaluateAsOf } from './as-of-evaluator.ts';
import { EloCursor, type EloEvent } from './elo-ratings.ts';
import { storeError } from './feature-store-plan.ts';
import type { FeatureStoreSession } from './feature-store-session.ts';
import type { EloView } from './feature-view-schema.ts';
import { type OnlineRecord, type OnlineStore, onlineStoreFormat } from './online-serving.ts';
import { timeLabel } from './training-set.ts';

export {
  type FormulaEvaluator,
  type OnlineRead,
  type OnlineRecord,
  type OnlineStore,
  onlineStoreFormat,
  readOnlineFeature,
  type ServedRow,
  type ServeEvent,
  seasonOrdinal,
  serveFeatureRow,
} from './online-serving.ts';

export interface MaterializeOptions {
  /** Time ordinal the store is materialised as of; default: after every row is known. */
  at?: number;
  /**
   * Season ordinal for season windows; default: `at` for a season-timed table (the season every
   * served event is in or after), else each entity's latest season.
   */
  season?: number;
  /** Only these keys per entity type (the skew check's shortcut); default: every entity. */
  keys?: Record<string, readonly string[]>;
}

/**
 * Computes the online store from the session's histories: for each lag, rolling, since and Elo
 * view and each entity, the value as of `at` (the as-of evaluator and the Elo engine, not the
 * offline SQL, so the skew check compares two independent paths for the windowed views).
 */
export async function materializeOnlineStore(
  session: FeatureStoreSession,
  options: MaterializeOptions = {},
): Promise<OnlineStore> {
  const { plan } = session;
  const histories = await session.histories();
  let at = options.at;
  if (at === undefined) {
    const result = await session.connection.runAndReadAll('SELECT max(__avail) + 1 FROM events');
    at = Number(result.getColumnsJS()[0]![0]);
  }
  const labels = { timeKind: plan.spec.table.time.kind, seasons: session.seasons };
  const seasonLabel = (ordinal: number) => session.seasons[ordinal] ?? null;
  const store: OnlineStore = {
    format: onlineStoreFormat,
    table: plan.spec.table.name,
    timeKind: plan.spec.table.time.kind,
    seasons: session.seasons,
    materializedAt: at,
    firstSeason: 0,
    views: {},
  };
  for (const view of plan.spec.views) {
    if (view.kind === 'column' || view.kind === 'formula') continue;
    const values: Record<string, OnlineRecord> = {};
    const wanted = options.keys?.[view.entity];
    if (view.kind === 'elo') {
      const { events, firstSeason } = await session.eloEvents(view);
      store.firstSeason = firstSeason;
      const { states } = eloAt(view, events, firstSeason, at);
      for (const [key, state] of states) {
        if (wanted && !wanted.includes(key)) continue;
        values[key] = {
          value: state.rating,
          asOf: timeLabel(labels, state.asOf),
          season: seasonLabel(state.season),
        };
      }
    } else {
      const entities = histories[view.entity]!;
      for (const key of wanted ?? [...entities.keys()]) {
        const history = entities.get(key) ?? [];
        const past = history.filter((event) => event.t < at);
        // A season-timed table serves only events at or after `at`, itself a season, so windows
        // over seasons end there; otherwise each entity's latest season is the best guess.
        const season = options.season ?? (store.timeKind === 'season' ? at : (past.at(-1)?.season ?? 0));
        const { value, asOf } = evaluateAsOf(view, history, at, season);
        values[key] = { value, asOf: timeLabel(labels, asOf), season: seasonLabel(season) };
      }
    }
    store.views[view.name] = { entity: view.entity, ttl: view.ttl, values };
  }
  return store;
}

// One cursor per Elo view's events (a session reads them once): materialising at increasing times,
// as the skew check does for its sample, resumes the last run instead of rating every event again.
const eloCursors = new WeakMap<readonly EloEvent[], Map<EloView, EloCursor>>();

function eloAt(view: EloView, events: readonly EloEvent[], firstSeason: number, at: number): EloCursor {
  let cursors = eloCursors.get(events);
  if (!cursors) {
    cursors = new Map();
    eloCursors.set(events, cursors);
  }
  let cursor = cursors.get(view);
  if (!cursor || cursor.position > at) {
    cursor = new EloCursor(view, events, firstSeason);
    cursors.set(view, cursor);
  }
  cursor.advanceTo(at);
  return cursor;
}

export async function writeOnlineStore(path: string, store: OnlineStore): Promise<void> {
  await writeJsonAtomic(path, store);
}

export async function readOnlineStore(path: string): Promise<OnlineStore> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw storeError(
      'E_ONLINE_STORE_UNREADABLE',
      `The online store ${path} could not be read: ${(error as Error).message}.`,
      'Materialise it again with `mlfolio features <project>`.',
    );
  }
  if ((parsed as { format?: unknown })?.format !== onlineStoreFormat) {
    throw storeError(
      'E_ONLINE_STORE_UNREADABLE',
      `${path} is not an online store of format ${onlineStoreFormat} (format: ${JSON.stringify((parsed as { format?: unknown })?.format)}).`,
      'Materialise it again with `mlfolio features <project>`.',
    );
  }
  return parsed as OnlineStore;
}
