import type { DuckDBConnection } from '@duckdb/node-api';
import { quote } from './event-table.ts';
import { storeError } from './feature-store-plan.ts';
import type { FeatureStoreSession } from './feature-store-session.ts';
import { materializeOnlineStore, serveFeatureRow } from './online-store.ts';
import { servingFormulaEvaluator } from './serving-formulas.ts';
import { type TrainingSet, timeLabel } from './training-set.ts';

/** Evaluates a formula's SQL for one row, with DuckDB, as the offline store does. */
export function formulaEvaluator(connection: DuckDBConnection) {
  return async (expression: string, inputs: Record<string, number | null>): Promise<number | null> => {
    const names = Object.keys(inputs);
    const select = names.length
      ? names.map((name, i) => `CAST($${i + 1} AS DOUBLE) AS ${quote(name)}`).join(', ')
      : '1 AS __none';
    const result = await connection.runAndReadAll(
      `SELECT CAST((${expression}) AS DOUBLE) FROM (SELECT ${select})`,
      names.map((name) => inputs[name] ?? null),
    );
    const value = result.getColumnsJS()[0]![0] as number | null;
    return value ?? null;
  };
}

export interface SkewReport {
  checkedEvents: number;
  checkedValues: number;
  mismatches: { id: string; time: string; feature: string; offline: number | null; online: number | null }[];
}

/**
 * Training–serving skew: for a seeded sample of events, materialises the online store as of each
 * event's time (only that event's entities), serves the event from it, and compares every feature
 * with the offline training set's row. Values must agree to 1e-9 (relative); both missing agrees.
 */
export async function checkTrainingServingSkew(
  session: FeatureStoreSession,
  training: TrainingSet,
  options: { sample?: number; seed?: number } = {},
): Promise<SkewReport> {
  const { plan } = session;
  const sample = Math.min(options.sample ?? 50, training.size);
  let state = (options.seed ?? 1) >>> 0 || 1;
  const random = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const chosen = new Set<number>();
  while (chosen.size < sample) chosen.add(Math.floor(random() * training.size));
  const rows = [...chosen].sort((a, b) => a - b);
  const columnViews = plan.spec.views.flatMap((view) => (view.kind === 'column' ? [view.column] : []));
  const columnValues = new Map<number, Record<string, unknown>>();
  if (columnViews.length) {
    const list = rows.map((i) => training.inputRow[i]).join(', ');
    const result = await session.connection.runAndReadAll(
      `SELECT __row, ${[...new Set(columnViews)].map(quote).join(', ')} FROM events WHERE __row IN (${list})`,
    );
    for (const record of result.getRowObjectsJS()) columnValues.set(Number(record.__row), record);
  }
  // The evaluator the server uses (the subset in process, DuckDB for the rest), so the check
  // compares what is served, formulas included, with the offline store's SQL.
  const evaluate = servingFormulaEvaluator(plan, () => formulaEvaluator(session.connection));
  const report: SkewReport = { checkedEvents: 0, checkedValues: 0, mismatches: [] };
  const roles = Object.entries(plan.spec.table.roles);
  for (const i of rows) {
    const t = training.times[i]!;
    const entities = Object.fromEntries(roles.map(([role]) => [role, training.entities[role]![i]!]));
    const keys: Record<string, string[]> = {};
    for (const [role, declared] of roles)
      keys[declared.entity] = [...(keys[declared.entity] ?? []), entities[role]!];
    const store = await materializeOnlineStore(session, { at: t, season: training.seasonIndex[i]!, keys });
    const time = timeLabel(training, t)!;
    const served = await serveFeatureRow(
      plan,
      store,
      {
        time,
        season: training.seasons[training.seasonIndex[i]!],
        entities,
        columns: columnValues.get(training.inputRow[i]!) ?? {},
      },
      evaluate,
    );
    report.checkedEvents++;
    for (const column of training.columns) {
      const offlineRaw = training.values[column]![i]!;
      const offline = Number.isNaN(offlineRaw) ? null : offlineRaw;
      const online = served.values[column] ?? null;
      report.checkedValues++;
      const agree =
        offline === null || online === null
          ? offline === online
          : Math.abs(offline - online) <= 1e-9 * Math.max(1, Math.abs(offline));
      if (!agree) report.mismatches.push({ id: training.ids[i]!, time, feature: column, offline, online });
    }
  }
  return report;
}

/** Throws `E_FEATURE_SKEW`, naming the views, when the report found any mismatch. */
export function assertNoSkew(report: SkewReport, training: TrainingSet, source: string): void {
  if (!report.mismatches.length) return;
  const views = [...new Set(report.mismatches.map((m) => training.viewOf[m.feature]))];
  throw storeError(
    'E_FEATURE_SKEW',
    `${source}: the online store serves different values from the training set for view(s) ${views.map((v) => `"${v}"`).join(', ')}: ${report.mismatches.length} of ${report.checkedValues} values differ, e.g. ${report.mismatches
      .slice(0, 3)
      .map((m) => `event ${m.id} (${m.time}) ${m.feature}: offline ${m.offline}, online ${m.online}`)
      .join('; ')}.`,
    'The two paths must read the same history; check the view’s window and its roles.',
  );
}
