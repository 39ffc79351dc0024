import { literal, quote } from './event-table.ts';
import { storeError } from './feature-store-plan.ts';
import type { FeatureStoreSession } from './feature-store-session.ts';

export interface FutureTargetOptions {
  /** The role whose entity's future is the target (e.g. `self` for a team-season table). */
  role: string;
  /** A perspective column of that entity. */
  column: string;
  /** How many of the entity's events ahead (default 1: the next one). */
  steps?: number;
  /**
   * Season-timed tables: the target must lie exactly `steps` seasons ahead, so a franchise that
   * skipped a season gets no target rather than a later one (default true).
   */
  consecutiveSeasons?: boolean;
}

/** A target per training-set row (same order as `TrainingSet`), with the time it is observed. */
export interface FutureTarget {
  name: string;
  /** NaN where the entity has no such future event. */
  values: Float64Array;
  /** Time ordinal of the event the target is read from; NaN where none. */
  times: Float64Array;
}

/**
 * A **target**, not a feature: the value of `column` for the same entity `steps` events later
 * (next season's wins). It reads the future on purpose, so it never enters a training set's
 * features, the online store or the leakage guard; use it only as the label of a row.
 */
export async function futureTarget(
  session: FeatureStoreSession,
  options: FutureTargetOptions,
): Promise<FutureTarget> {
  const { plan, connection } = session;
  const declared = plan.spec.table.roles[options.role];
  if (!declared) {
    throw storeError(
      'E_FEATURE_UNKNOWN_ROLE',
      `${plan.source}: target: "${options.role}" is not a role of table "${plan.spec.table.name}" (roles: ${Object.keys(plan.spec.table.roles).join(', ')}).`,
      'Name the role whose entity the target follows.',
    );
  }
  const entity = plan.entities[declared.entity]!;
  if (!entity.columns.includes(options.column)) {
    throw storeError(
      'E_FEATURE_UNKNOWN_COLUMN',
      `${plan.source}: target: "${options.column}" is not a column of entity "${declared.entity}" (its columns: ${entity.columns.join(', ')}).`,
      'Declare it under table.roles.<role>.columns.',
    );
  }
  const steps = options.steps ?? 1;
  if (steps < 1) {
    throw storeError(
      'E_FEATURE_STORE_INVALID',
      `${plan.source}: target: steps ${steps} would not look ahead.`,
      'A future target is at least one event ahead.',
    );
  }
  const consecutive = plan.spec.table.time.kind === 'season' && (options.consecutiveSeasons ?? true);
  const result = await connection.runAndReadAll(`
    WITH ahead AS (
      SELECT __row, __role, lead(${quote(options.column)}, ${steps}) OVER w AS value, lead(__t, ${steps}) OVER w AS at, __t
      FROM ${quote(`tl_${declared.entity}`)}
      WINDOW w AS (PARTITION BY __entity ORDER BY __t, __row)
    )
    SELECT CASE WHEN ${consecutive ? `a.at = a.__t + ${steps}` : 'true'} THEN a.value END, CASE WHEN ${consecutive ? `a.at = a.__t + ${steps}` : 'true'} THEN a.at END
    FROM events e LEFT JOIN ahead a ON a.__row = e.__row AND a.__role = ${literal(options.role)}
    ORDER BY e.__t, e.__row`);
  const [values, times] = result.getColumnsJS() as [(number | null)[], (number | null)[]];
  return {
    name: `${options.column}_next${steps > 1 ? steps : ''}`,
    values: Float64Array.from(values ?? [], (v) => v ?? NaN),
    times: Float64Array.from(times ?? [], (v) => v ?? NaN),
  };
}
