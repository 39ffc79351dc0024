import type { FeatureStorePlan } from './feature-store-plan.ts';
import type { OnlineStore } from './online-store.ts';
import { type TrainingSet, timeLabel } from './training-set.ts';

/** One view as `mlfolio features <project>` shows it. */
export interface ViewDescription {
  name: string;
  kind: string;
  description: string;
  entity: string | null;
  ttl: string;
  /** Where its values come from: the table, and the columns (event or perspective) it reads. */
  source: { table: string; columns: string[] };
  /** Its output columns in the training set. */
  outputs: string[];
  /** Formula views that read this view's outputs (lineage downstream). */
  usedBy: string[];
  offline?: { rows: number; withValue: number; latestAsOf: string | null };
  online?: { entities: number; latestAsOf: string | null; materializedAt: string | null };
}

/**
 * The feature store's views with their lineage (source table and columns → view → formulas that
 * read it), freshness (TTL) and, when given, materialisation: offline row counts and the latest
 * as-of time, online entity counts. What `mlfolio features <project>` prints.
 */
export function describeFeatureStore(
  plan: FeatureStorePlan,
  materialised: { training?: TrainingSet; online?: OnlineStore } = {},
): ViewDescription[] {
  const table = plan.spec.table;
  const { training, online } = materialised;
  return plan.spec.views.map((view) => {
    const outputs = plan.outputs.filter((o) => o.view === view.name).map((o) => o.column);
    const usedBy = Object.entries(plan.formulas)
      .filter(
        ([name, formula]) => name !== view.name && formula.inputs.some((input) => outputs.includes(input)),
      )
      .map(([name]) => name);
    let columns: string[];
    if (view.kind === 'column') columns = [view.column];
    else if (view.kind === 'formula') columns = plan.formulas[view.name]!.inputs;
    else if (view.kind === 'since') columns = [table.time.column];
    else if (view.kind === 'elo') {
      columns = [
        view.score,
        ...(typeof view.k === 'object' ? [view.k.column] : []),
        ...(view.neutral ? [view.neutral] : []),
      ];
    } else columns = [view.column];
    const description: ViewDescription = {
      name: view.name,
      kind: view.kind,
      description: view.description,
      entity: 'entity' in view && view.entity ? view.entity : null,
      ttl: view.ttl,
      source: { table: table.name, columns },
      outputs,
      usedBy,
    };
    if (training) {
      let withValue = 0;
      let latest = Number.NaN;
      for (const output of outputs) {
        const values = training.values[output]!;
        const asOf = training.asOf[output]!;
        for (let i = 0; i < training.size; i++) {
          if (!Number.isNaN(values[i]!)) withValue++;
          if (!Number.isNaN(asOf[i]!) && !(asOf[i]! <= latest)) latest = asOf[i]!;
        }
      }
      description.offline = { rows: training.size, withValue, latestAsOf: timeLabel(training, latest) };
    }
    const stored = online?.views[view.name];
    if (online && stored) {
      const records = Object.values(stored.values);
      const times = records.map((r) => r.asOf).filter((t): t is string => t !== null);
      description.online = {
        entities: records.length,
        latestAsOf: times.length ? times.sort().at(-1)! : null,
        materializedAt: timeLabel(online, online.materializedAt),
      };
    }
    return description;
  });
}
