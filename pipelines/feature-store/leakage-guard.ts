import { MlfolioError } from '../../portfolio/errors.ts';
import { CounterfactualHistory } from './counterfactual-history.ts';
import { type FeatureStorePlan, planFeatureStore } from './feature-store-plan.ts';
import {
  buildTrainingSet,
  createFeatureStoreDatabase,
  type FeatureStoreDatabase,
} from './feature-store-session.ts';
import { type TrainingSet, timeLabel, timeOrdinal } from './training-set.ts';

export const featureLeakageGuardMethod =
  'For evenly spread event times, every feature view was recomputed after removing every later event and changing every outcome recorded at that time or not yet known then; the features of that time’s events had to stay identical.';

/**
 * Builds a training set from rows: the feature store itself, or a test double. `at`, when given,
 * is the only time ordinal whose events are compared: a builder may leave the others out (the
 * store does, see `TrainingSetOptions.at`) or return every row.
 */
export type BuildFromRows = (
  plan: FeatureStorePlan,
  rows: readonly Record<string, unknown>[],
  at?: number,
) => Promise<TrainingSet>;

/**
 * DuckDB threads of the guard's rebuilds. The guard runs beside the model fits (on a worker
 * thread), so one thread keeps it from competing with them for the cores; measured on the
 * international events, rebuilds with one thread also spent less CPU than with two (see the
 * README's feature store CPU seconds).
 */
const guardThreads = 1;

export interface FeatureLeakageOptions {
  /** How many probe times, spread evenly over the candidate times. */
  probes: number;
  /** Candidate probe times (labels, e.g. the test period's dates); default: every event time. */
  times?: readonly string[];
  /**
   * Columns known only after the event (scores, results). Always perturbed, even when a `column`
   * view reads them, so declaring an outcome as pre-event information is caught. Other columns
   * read by `column` views are taken at their word and left alone.
   */
  outcomes?: readonly string[];
  /** The training set to check; built when absent. */
  reference?: TrainingSet;
  build?: BuildFromRows;
  /**
   * Checks only every `count`-th chosen probe from the `index`-th (0-based), so that `count` calls
   * split one guard between threads; their reports merge with `mergeLeakageReports`.
   */
  shard?: { index: number; count: number };
}

export interface FeatureLeakageReport {
  probes: { time: string; rows: number }[];
  checkedRows: number;
  checkedValues: number;
}

/**
 * Fails naming the view(s) when any feature of an event depends on data from the event's time or
 * later, or on a row not yet recorded then. For each probe time P the whole store is recomputed
 * from a counterfactual history: events after P are removed; every row at P, and every earlier row
 * recorded at P or later, gets different outcomes (numbers reflected, booleans flipped, text
 * changed). A point-in-time correct feature of an event at P cannot move, since all it may read is
 * untouched; one that reads its own outcome, a same-time event, the future or a late row moves.
 */
export async function checkFeatureLeakage(
  spec: FeatureStorePlan | unknown,
  rows: readonly Record<string, unknown>[],
  options: FeatureLeakageOptions,
  source = 'feature store declaration',
): Promise<FeatureLeakageReport> {
  const plan = isPlan(spec) ? spec : planFeatureStore(spec, source);
  // Every rebuild is a whole new store, in its own catalog of one DuckDB instance.
  const database = await createFeatureStoreDatabase({ threads: guardThreads });
  try {
    return await probeAll(plan, rows, options, source, database);
  } finally {
    database.close();
  }
}

async function probeAll(
  plan: FeatureStorePlan,
  rows: readonly Record<string, unknown>[],
  options: FeatureLeakageOptions,
  source: string,
  database: FeatureStoreDatabase,
): Promise<FeatureLeakageReport> {
  const reference =
    options.reference ??
    (options.build
      ? await options.build(plan, rows)
      : await buildTrainingSet(plan, { rows }, plan.source, database));
  // When each row happens and becomes known comes from the declaration, never from the builder
  // under test, so a builder that ignores ingestion times cannot hide it.
  const timing = options.build ? await buildTrainingSet(plan, { rows }, plan.source, database) : reference;
  const table = plan.spec.table;
  const structural = new Set(
    [
      table.time.column,
      table.id,
      table.season,
      table.ingestedAt,
      ...Object.values(table.roles).map((r) => r.key),
    ].filter((c): c is string => c !== undefined),
  );
  const declaredKnown = new Set(
    plan.spec.views.flatMap((view) => (view.kind === 'column' ? [view.column] : [])),
  );
  for (const outcome of options.outcomes ?? []) declaredKnown.delete(outcome);
  const perturbed = [...new Set(rows.flatMap((row) => Object.keys(row)))].filter(
    (column) => !structural.has(column) && !declaredKnown.has(column),
  );

  const time = new Int32Array(rows.length);
  const available = new Int32Array(rows.length);
  for (let i = 0; i < timing.size; i++) {
    time[timing.inputRow[i]!] = timing.times[i]!;
    available[timing.inputRow[i]!] = timing.available[i]!;
  }
  const candidates = options.times
    ? [...new Set(options.times.map((label) => timeOrdinal(reference, label)))].filter(Number.isFinite)
    : [...new Set(reference.times)];
  candidates.sort((a, b) => a - b);
  const count = Math.min(options.probes, candidates.length);
  const chosen = [
    ...new Set(
      Array.from({ length: count }, (_, p) => {
        const at = count <= 1 ? 0 : Math.round((p * (candidates.length - 1)) / (count - 1));
        return candidates[at]!;
      }),
    ),
  ];

  const shard = options.shard ?? { index: 0, count: 1 };
  const report: FeatureLeakageReport = { probes: [], checkedRows: 0, checkedValues: 0 };
  const referenceIndex = new Map<number, number>();
  for (let i = 0; i < reference.size; i++) referenceIndex.set(reference.inputRow[i]!, i);
  const history = new CounterfactualHistory(rows, time, available, perturbed);
  // The store's rebuilds read the rows from one copy in the database; a builder under test gets
  // JS rows.
  const connection = options.build ? undefined : await database.instance.connect();
  try {
    if (connection) await history.inDatabase(connection, plan);
    for (const probe of chosen.filter((_, p) => p % shard.count === shard.index)) {
      const { source: events, kept } = await history.at(probe);
      // Only the events at the probe are compared, so only they are made and read back.
      const recomputed = options.build
        ? await options.build(plan, (events as { rows: Record<string, unknown>[] }).rows, probe)
        : await buildTrainingSet(plan, events, plan.source, database, { at: probe });
      const changed: string[] = [];
      const views = new Set<string>();
      let rowsAtProbe = 0;
      for (let i = 0; i < recomputed.size; i++) {
        if (recomputed.times[i] !== probe) continue;
        rowsAtProbe++;
        const original = referenceIndex.get(kept[recomputed.inputRow[i]!]!)!;
        for (const column of reference.columns) {
          const before = reference.values[column]![original]!;
          const after = recomputed.values[column]![i]!;
          report.checkedValues++;
          if (!Object.is(before, after)) {
            views.add(reference.viewOf[column]!);
            changed.push(`event ${reference.ids[original]} ${column}: ${before} became ${after}`);
          }
        }
      }
      const label = timeLabel(reference, probe)!;
      if (changed.length) {
        throw new MlfolioError({
          code: 'E_FEATURE_LEAKAGE',
          message: `${source}: feature view(s) ${[...views].map((v) => `"${v}"`).join(', ')} of events at ${label} changed when that time's outcomes, every row not yet recorded then and every later event were altered, so they read what they should predict. ${changed.length} value(s) changed, e.g. ${changed.slice(0, 3).join('; ')}.`,
          hint: 'A feature may only read rows of earlier times that were already recorded; fix the view (a `column` view must hold information known before the event).',
          exitCode: 5,
        });
      }
      report.probes.push({ time: label, rows: rowsAtProbe });
      report.checkedRows += rowsAtProbe;
    }
  } finally {
    connection?.closeSync();
  }
  return report;
}

/**
 * One report from the reports of shards 0…n−1 of the same guard (`shard`), probes in the order a
 * single call checks them.
 */
export function mergeLeakageReports(shards: readonly FeatureLeakageReport[]): FeatureLeakageReport {
  const probes: FeatureLeakageReport['probes'] = [];
  for (let p = 0; shards[p % shards.length]!.probes[Math.floor(p / shards.length)]; p++) {
    probes.push(shards[p % shards.length]!.probes[Math.floor(p / shards.length)]!);
  }
  return {
    probes,
    checkedRows: shards.reduce((sum, shard) => sum + shard.checkedRows, 0),
    checkedValues: shards.reduce((sum, shard) => sum + shard.checkedValues, 0),
  };
}

function isPlan(value: unknown): value is FeatureStorePlan {
  return typeof value === 'object' && value !== null && 'outputs' in value && 'spec' in value;
}
