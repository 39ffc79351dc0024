import type { ProjectFile } from '../../portfolio/project-file/schema.ts';
import type { CollectedTable } from '../collect/collect-table.ts';
import type { Row } from '../collect/typed-rows.ts';

/**
 * The events table's rows, up to `dataUntil` when a replay asks for the data as it stood then: a
 * date (YYYY-MM-DD) or a season. A season on a date-timed table keeps every event of that season
 * and the ones before, by the table's season column or, without one, the calendar year.
 */
export function keptRows(spec: ProjectFile, events: CollectedTable, dataUntil: string | undefined): Row[] {
  if (dataUntil === undefined) return events.rows;
  const table = eventsSpecOf(spec);
  const timeColumn = table.time.column;
  if (table.time.kind === 'date' && !/^\d{4}-\d{2}-\d{2}$/.test(dataUntil)) {
    // Compared as text, "2015-03-01" <= "2015" is false: the season 2015 would have ended in 2014.
    const seasonOf = (row: Row) =>
      table.season === undefined ? String(row[timeColumn]).slice(0, 4) : String(row[table.season]);
    return events.rows.filter((row) => seasonOf(row) <= dataUntil);
  }
  return events.rows.filter((row) => String(row[timeColumn]) <= dataUntil);
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
