import { describe, expect, it } from 'vitest';
import type { CollectedTable } from '../../pipelines/collect/collect-table.ts';
import { keptRows } from '../../pipelines/engine/feature-store-spec.ts';
import type { ProjectFile } from '../../portfolio/project-file/schema.ts';

/** A project whose events table is timed as declared; only what `keptRows` reads. */
function projectWith(time: { column: string; kind: 'date' | 'season' }, season?: string): ProjectFile {
  return { data: { tables: { matches: { time, ...(season ? { season } : {}) } } } } as unknown as ProjectFile;
}
const table = (rows: Record<string, unknown>[]) => ({ rows }) as unknown as CollectedTable;
const dates = table([
  { date: '2014-12-31', league: '2014-15' },
  { date: '2015-03-01', league: '2014-15' },
  { date: '2015-12-31', league: '2015-16' },
  { date: '2016-01-01', league: '2015-16' },
]);

describe('keptRows (--until, --data-until)', () => {
  it('keeps every event up to a date', () => {
    const kept = keptRows(projectWith({ column: 'date', kind: 'date' }), dates, '2015-03-01');
    expect(kept.map((row) => row.date)).toEqual(['2014-12-31', '2015-03-01']);
  });

  it('keeps the whole season named on a date-timed table, its calendar year without a season column', () => {
    const kept = keptRows(projectWith({ column: 'date', kind: 'date' }), dates, '2015');
    expect(kept.map((row) => row.date)).toEqual(['2014-12-31', '2015-03-01', '2015-12-31']);
  });

  it("keeps a date-timed table's seasons by its season column when it declares one", () => {
    const kept = keptRows(projectWith({ column: 'date', kind: 'date' }, 'league'), dates, '2014-15');
    expect(kept.map((row) => row.date)).toEqual(['2014-12-31', '2015-03-01']);
  });

  it('keeps every season up to the one named on a season-timed table', () => {
    const seasons = table([{ year: '2014' }, { year: '2015' }, { year: '2016' }]);
    const kept = keptRows(projectWith({ column: 'year', kind: 'season' }), seasons, '2015');
    expect(kept.map((row) => row.year)).toEqual(['2014', '2015']);
  });

  it('keeps everything without a limit', () => {
    expect(keptRows(projectWith({ column: 'date', kind: 'date' }), dates, undefined)).toHaveLength(4);
  });
});
