import { literal, quote } from './event-table.ts';
import type { FeatureStorePlan } from './feature-store-plan.ts';
import type { Aggregate, FeatureViewSpec, WindowedView } from './feature-view-schema.ts';

/**
 * SQL for the per-entity views (lag, rolling, since), grouped so that views sharing a timeline
 * filter and a window run in one query. Each query yields one row per (event, role) of the entity
 * with a value column per view and an as-of column per view (`__asof_<view>`: the time ordinal of
 * the latest event the value read, NULL when it read none).
 *
 * Point-in-time correctness rests on two constructions, both excluding the event's own time:
 * - windows over events (lag, last N events, since): the per-entity state after each history
 *   event, kept only at the last event of each time, is joined AS OF the target's time with a
 *   strict `>`, so all events sharing the target's time are invisible to it;
 * - windows over time (days, seasons): history and target rows share a window ordered by time with
 *   a `RANGE … 1 PRECEDING` frame ending strictly before the target's time; targets carry NULLs,
 *   which aggregates ignore.
 * Late rows (recorded after a later event) are corrected afterwards by the as-of evaluator. Views
 * whose history is every event of an entity with at most one event per time skip this SQL: the
 * one-pass sweep in `window-sweep.ts` computes them (measured faster; see the README).
 */

export interface WindowGroup {
  entity: string;
  historyRoles: string[];
  sameSeason: boolean;
  window: { events: true } | { days: number } | { seasons: number };
  views: WindowedView[];
}

export function windowGroups(plan: FeatureStorePlan): WindowGroup[] {
  const groups = new Map<string, WindowGroup>();
  for (const view of plan.spec.views) {
    if (view.kind !== 'lag' && view.kind !== 'rolling' && view.kind !== 'since') continue;
    const entity = plan.entities[view.entity]!;
    const historyRoles = [...(view.historyRoles ?? entity.roles)].sort();
    const sameSeason = view.kind === 'rolling' && view.sameSeason === true;
    const window: WindowGroup['window'] =
      view.kind === 'rolling' && !('events' in view.window)
        ? 'days' in view.window
          ? { days: view.window.days }
          : { seasons: view.window.seasons }
        : { events: true };
    const key = JSON.stringify([view.entity, historyRoles, sameSeason, window]);
    let group = groups.get(key);
    if (!group) {
      group = { entity: view.entity, historyRoles, sameSeason, window, views: [] };
      groups.set(key, group);
    }
    group.views.push(view);
  }
  return [...groups.values()];
}

const sqlAggregate: Record<Aggregate, string> = {
  mean: 'avg',
  sum: 'sum',
  count: 'count',
  min: 'min',
  max: 'max',
  std: 'stddev_samp',
};

function withDefault(view: FeatureViewSpec, expression: string): string {
  if (view.kind === 'rolling' && view.aggregate === 'count') return `coalesce(${expression}, 0)`;
  if ((view.kind === 'lag' || view.kind === 'rolling') && view.default !== undefined)
    return `coalesce(${expression}, ${view.default})`;
  return expression;
}

/**
 * The statement creating table `name` for `group` from timeline `tl_<entity>`. With `at` (a time
 * ordinal), only the rows of events at that time are made (see `TrainingSetOptions.at`): the
 * timeline is cut to the entities with an event then, each kept whole, so every window partition
 * that remains holds the rows it holds in the full statement, in the same order, and the rows kept
 * get the values the full statement gives them.
 */
export function windowGroupSql(group: WindowGroup, name: string, at?: number): string {
  const whole = quote(`tl_${group.entity}`);
  const timeline =
    at === undefined
      ? whole
      : `(SELECT * FROM ${whole} WHERE __entity IN (SELECT __entity FROM ${whole} WHERE __t = ${at}))`;
  const targets = at === undefined ? timeline : `(SELECT * FROM ${whole} WHERE __t = ${at})`;
  const history = `SELECT * FROM ${timeline} WHERE __role IN (${group.historyRoles.map(literal).join(', ')})`;
  const partition = `PARTITION BY __entity${group.sameSeason ? ', __season' : ''}`;
  if ('events' in group.window) {
    const stateColumns: string[] = [];
    const outputs: string[] = [];
    for (const view of group.views) {
      const v = quote(view.name);
      const asOf = quote(`__asof_${view.name}`);
      if (view.kind === 'lag') {
        stateColumns.push(
          `lag(${quote(view.column)}, ${view.offset - 1}) OVER w AS ${v}`,
          `lag(__t, ${view.offset - 1}) OVER w AS ${asOf}`,
        );
        outputs.push(`${withDefault(view, `s.${v}`)} AS ${v}`, `s.${asOf} AS ${asOf}`);
      } else if (view.kind === 'rolling') {
        const size = (view.window as { events: number }).events;
        stateColumns.push(
          `${sqlAggregate[view.aggregate]}(${quote(view.column)}) OVER (w ROWS BETWEEN ${size - 1} PRECEDING AND CURRENT ROW) AS ${v}`,
        );
        outputs.push(`${withDefault(view, `s.${v}`)} AS ${v}`, `s.__t AS ${asOf}`);
      } else if (view.kind === 'since') {
        outputs.push(
          `CASE WHEN s.__t IS NULL THEN ${view.default ?? view.cap} ELSE least(${view.cap}, t.__t - s.__t) END AS ${v}`,
          `s.__t AS ${asOf}`,
        );
      }
    }
    return `CREATE OR REPLACE TABLE ${quote(name)} AS
      WITH h AS (${history}),
      states AS (
        SELECT __entity, __season, __t${stateColumns.length ? `, ${stateColumns.join(', ')}` : ''},
          row_number() OVER (PARTITION BY __entity, __t ORDER BY __row DESC) AS __last
        FROM h
        WINDOW w AS (${partition} ORDER BY __t, __row)
      ),
      s AS (SELECT * FROM states WHERE __last = 1)
      SELECT t.__row, t.__role, ${outputs.join(', ')}
      FROM ${targets} t ASOF LEFT JOIN s
        ON t.__entity = s.__entity${group.sameSeason ? ' AND t.__season = s.__season' : ''} AND t.__t > s.__t`;
  }
  const [key, size] =
    'days' in group.window ? ['__t', group.window.days] : ['__season', group.window.seasons];
  const columns = [...new Set(group.views.map((view) => (view as { column: string }).column))];
  const values: string[] = [];
  for (const view of group.views) {
    if (view.kind !== 'rolling') continue;
    values.push(
      `${withDefault(view, `${sqlAggregate[view.aggregate]}(${quote(view.column)}) OVER w`)} AS ${quote(view.name)}`,
    );
    values.push(`max(CASE WHEN __probe = 0 THEN __t END) OVER w AS ${quote(`__asof_${view.name}`)}`);
  }
  return `CREATE OR REPLACE TABLE ${quote(name)} AS
    WITH u AS (
      SELECT __entity, __season, __t, __row, __role, 0 AS __probe${columns.map((c) => `, ${quote(c)}`).join('')} FROM (${history})
      UNION ALL
      SELECT __entity, __season, __t, __row, __role, 1 AS __probe${columns.map((c) => `, CAST(NULL AS DOUBLE) AS ${quote(c)}`).join('')} FROM ${timeline}
    )
    SELECT __row, __role, ${values.join(', ')}
    FROM u
    WINDOW w AS (${partition} ORDER BY ${key} RANGE BETWEEN ${size} PRECEDING AND 1 PRECEDING)
    QUALIFY __probe = 1${at === undefined ? '' : ` AND __t = ${at}`}`;
}
