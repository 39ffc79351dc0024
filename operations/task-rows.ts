import type { Row } from '../pipelines/collect/typed-rows.ts';
import { collectEvents } from '../pipelines/engine/collect-events.ts';
import { eventsSpecOf, featureStoreSpecOf } from '../pipelines/engine/feature-store-spec.ts';
import { buildEngineRows, type EngineRows } from '../pipelines/engine/run-engine.ts';
import type { Period } from '../pipelines/split/time-split.ts';
import { seasonOrder } from '../pipelines/split/time-split.ts';
import { forecastWith, type TaskArtifact } from '../pipelines/tasks/models/forecast.ts';
import type { Forecast } from '../pipelines/tasks/task.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import type { Workspace } from '../portfolio/workspace.ts';

/** A declared project's events as they stand now, with their point-in-time features and target. */
export interface CurrentTaskRows {
  rows: EngineRows;
  /** The kept events table rows: `rows.ids[i]` is an index into it. */
  kept: Row[];
}

/**
 * Every usable event of the project's current data (up to `dataUntil` when given), through the
 * same collection, label joins and feature store as `mlfolio run`, so monitoring and retraining
 * score exactly the rows a run would.
 */
export async function currentTaskRows(
  workspace: Workspace,
  project: LoadedProject,
  dataUntil?: string,
): Promise<CurrentTaskRows> {
  const { rows: kept } = await collectEvents(workspace, project, { dataUntil });
  const rows = await buildEngineRows(project, featureStoreSpecOf(project.file), kept);
  return { rows, kept };
}

/** Compares two event times (dates, or season labels, numbered seasons as numbers). */
export const compareTimes = seasonOrder;

/** Indices of the rows inside a recorded period (its seasons, from its first to its last time). */
export function rowsIn(rows: EngineRows, period: Period): number[] {
  const seasons = new Set(period.seasons);
  const out: number[] = [];
  rows.times.forEach((time, i) => {
    if (
      seasons.has(rows.seasons[i]!) &&
      compareTimes(time, period.from) >= 0 &&
      compareTimes(time, period.to) <= 0
    )
      out.push(i);
  });
  return out;
}

/** Indices of the rows strictly after `time`. */
export function rowsAfter(rows: EngineRows, time: string): number[] {
  const out: number[] = [];
  rows.times.forEach((t, i) => {
    if (compareTimes(t, time) > 0) out.push(i);
  });
  return out;
}

/**
 * The artifact's forecasts for the rows at `indices`. Throws `E_MODEL_FEATURES_MISSING` when the
 * model reads a feature the project no longer outputs (its file changed since the model's run).
 */
export function forecastsOf(
  artifact: TaskArtifact,
  rows: EngineRows,
  indices: readonly number[],
  where: { slug: string; model: string },
): Forecast[] {
  const columns = artifact.featureNames.map((name) => rows.featureNames.indexOf(name));
  const missing = artifact.featureNames.filter((_, j) => columns[j]! < 0);
  if (missing.length) {
    throw new MlfolioError({
      code: 'E_MODEL_FEATURES_MISSING',
      message: `Project "${where.slug}": model ${where.model} reads feature(s) ${missing.join(', ')}, which the project's feature views no longer output.`,
      hint: 'Restore the views the deployed model reads, or deploy a model of a newer run (`mlfolio retrain`, or delete operations/deployments.json).',
    });
  }
  return indices.map((i) =>
    forecastWith(
      artifact,
      columns.map((c) => rows.x[i]![c]!),
    ),
  );
}

/** The event a server would be asked about for row `i`: its time, season and entity keys. */
export function servedEventOf(
  project: LoadedProject,
  current: CurrentTaskRows,
  i: number,
): { time: string; season?: string; entities: Record<string, string> } {
  const spec = project.file;
  const tableSpec = eventsSpecOf(spec);
  const row = current.kept[Number(current.rows.ids[i])]!;
  return {
    time: current.rows.times[i]!,
    ...(tableSpec.time.kind === 'date' && tableSpec.season ? { season: String(row[tableSpec.season]) } : {}),
    entities: Object.fromEntries(
      Object.entries(spec.data.roles).map(([role, declared]) => [role, String(row[declared.key])]),
    ),
  };
}
