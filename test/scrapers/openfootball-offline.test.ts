import { describe, expect, it } from 'vitest';
import { collectOpenFootball } from '../../scrapers/sources/openfootball/index.ts';
import { normaliseMatches } from '../../scrapers/sources/openfootball/normalise.ts';

describe('the offline OpenFootball transport', () => {
  it('reads the real matches bundled in vega-datasets and reports the ones without a score', async () => {
    const dataset = await collectOpenFootball(
      { kind: 'openfootball', transport: 'offline' },
      {
        now: () => new Date('2026-01-01T00:00:00Z'),
      },
    );
    expect(dataset.records.length + dataset.excluded.length).toBe(6508);
    expect(dataset.excluded.length).toBe(4);
    expect(dataset.excluded.every((e) => e.reason.startsWith('no score'))).toBe(true);
    expect(dataset.excluded[0]!.location).toMatch(/football\.json\[\d+\]$/);
    expect(new Set(dataset.records.map((r) => r.league)).size).toBe(5);
    expect(new Set(dataset.records.map((r) => r.season))).toEqual(
      new Set(['2013-14', '2014-15', '2015-16', '2016-17']),
    );
    const dates = dataset.records.map((r) => r.date);
    expect(dates).toEqual([...dates].sort());
    expect(dataset.provenance).toMatchObject({
      source: 'openfootball',
      transport: 'offline',
      rows: dataset.records.length,
      excludedRows: 4,
      collectedAt: '2026-01-01T00:00:00.000Z',
      firstDate: '2013-07-20',
      lastDate: '2017-05-28',
    });
    expect(dataset.provenance.origin[0]).toMatch(/^npm:vega-datasets@\d+\.\d+\.\d+\/data\/football\.json$/);
  });

  it('hashes the same records to the same provenance hash', async () => {
    const a = await collectOpenFootball({ kind: 'openfootball', transport: 'offline' });
    const b = await collectOpenFootball({ kind: 'openfootball', transport: 'offline' });
    expect(a.provenance.sha256).toBe(b.provenance.sha256);
    expect(a.provenance.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves out a record with a wrong type, naming the field, and keeps the rest', () => {
    const { records, excluded } = normaliseMatches(
      [
        { date: '2016-08-13', league: 'L', homeTeam: 'A', awayTeam: 'B', homeGoals: 2, awayGoals: 1 },
        { date: '2016-08-13', league: 'L', homeTeam: 'C', awayTeam: 'D', homeGoals: 'two', awayGoals: 1 },
        { date: '13/08/2016', league: 'L', homeTeam: 'E', awayTeam: 'F', homeGoals: 0, awayGoals: 0 },
      ],
      'fixture.json',
    );
    expect(records).toHaveLength(1);
    expect(excluded.map((e) => e.location)).toEqual(['fixture.json[1]', 'fixture.json[2]']);
    expect(excluded[0]!.reason).toMatch(/homeGoals/);
    expect(excluded[1]!.reason).toMatch(/date/);
  });
});
