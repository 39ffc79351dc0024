import type { ProjectFile } from '../../portfolio/project-file/schema.ts';
import type { CollectedTable } from '../collect/collect-table.ts';
import type { Row } from '../collect/typed-rows.ts';

/** The events table's rows, up to `dataUntil` when a replay asks for the data as it stood then. */
export function keptRows(spec: ProjectFile, events: CollectedTable, dataUntil: string | undefined): Row[] {
  const timeColumn = eventsSpecOf(spec).time.column;
  return dataUntil === undefined
    ? events.rows
    : events.rows.filter((r) => String(r[timeColumn]) <= dataUntil);
}

export function eventsSpecOf(spec: ProjectFile) {
  return spec.data.tables[spec.data.events ?? Object.keys(spec.data.tables)[0]!]!;
}

/** The feature store's declaration: the events table with its roles, and the project's views. */
export function featureStoreSpecOf(spec: ProjectFile) {
  const eventsSpec = eventsSpecOf(spec);
  return {
    table: {
      name: 'events',
      time: eventsSpec.time,
      ...(eventsSpec.season ? { season: eventsSpec.season } : {}),
      ...(eventsSpec.ingestedAt ? { ingestedAt: eventsSpec.ingestedAt } : {}),
      roles: spec.data.roles,
    },
    views: spec.features,
  };
}
