import { describe, expect, it } from 'vitest';
import { profileTable } from '../../pipelines/profile/profile-table.ts';

describe('profileTable', () => {
  it('counts missing and distinct values, and gives quantiles as numpy does (linear interpolation)', async () => {
    const rows = [
      { date: '2013-08-17', team: 'Arsenal', goals: 1, home: true },
      { date: '2013-08-17', team: 'Aston Villa', goals: 3, home: false },
      { date: '2013-08-24', team: 'Arsenal', goals: null, home: true },
      { date: '2014-01-01', team: '', goals: 0, home: false },
      { date: '2014-01-02', team: 'Arsenal', goals: 6, home: false },
    ];
    const profile = await profileTable('matches', rows, {
      date: 'date',
      team: 'string',
      goals: 'integer',
      home: 'boolean',
    });
    expect(profile.rows).toBe(5);
    const [date, team, goals, home] = profile.columns;
    // Dates that start with the same year stay distinct (danfojs' valueCounts alone would merge them).
    expect(date).toMatchObject({ missing: 0, distinct: 4 });
    expect(date?.top?.[0]).toEqual({ value: '2013-08-17', count: 2 });
    expect(team).toMatchObject({
      missing: 1,
      distinct: 2,
      top: [
        { value: 'Arsenal', count: 3 },
        { value: 'Aston Villa', count: 1 },
      ],
    });
    // numpy.quantile([0, 1, 3, 6], [.25, .5, .75]) = 0.75, 2, 3.75; sample standard deviation (ddof 1) 2.6457513
    expect(goals).toMatchObject({
      missing: 1,
      distinct: 4,
      summary: { min: 0, p25: 0.75, median: 2, p75: 3.75, max: 6, mean: 2.5, std: 2.64575 },
    });
    expect(home?.summary).toMatchObject({ min: 0, max: 1, mean: 0.4 });
  });
});
