import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { type CollectedTable, collectTable } from '../collect/collect-table.ts';
import type { Row } from '../collect/typed-rows.ts';
import { eventsSpecOf, keptRows } from './feature-store-spec.ts';
import { type JoinLabels, joinLabelColumns, readJoinLabels } from './label-join.ts';

export interface CollectedEvents {
  name: string;
  /** The events table as collected (its provenance hash is what a run records). */
  table: CollectedTable;
  /** The rows a run keeps (`dataUntil`), before the label joins. */
  kept: Row[];
  /** The kept rows with every label join's column: what the feature store reads. */
  rows: Row[];
  joins: JoinLabels[];
}

/**
 * A project's events as its runs read them: the events table collected, the rows kept up to
 * `dataUntil`, and every declared label join applied. Everything that rebuilds a run's features
 * outside the run (features inspection, serving, replay, the label effect) reads the events
 * through here, so none can forget the labels.
 */
export async function collectEvents(
  workspace: Workspace,
  project: LoadedProject,
  options: { dataUntil?: string | undefined } = {},
): Promise<CollectedEvents> {
  const spec = project.file;
  const name = spec.data.events ?? Object.keys(spec.data.tables)[0]!;
  const eventsSpec = eventsSpecOf(spec);
  const table = await collectTable(name, eventsSpec, {
    workspace,
    slug: project.slug,
    specFile: project.specFile,
  });
  const kept = keptRows(spec, table, options.dataUntil);
  const joins = eventsSpec.labels.map((join) => readJoinLabels(workspace, project.slug, join));
  return { name, table, kept, rows: joinLabelColumns(kept, joins).rows, joins };
}
