import type { FeatureStoreSpecInput } from '../../pipelines/feature-store/index.ts';

/**
 * A one-entity table small enough to compute by hand: ties on 2024-01-03, a row for 2024-01-05
 * recorded only on 2024-01-09, and a second entity whose rows must never mix with the first's.
 */
export const readingsRows = [
  { id: 'a1', sensor: 'A', day: '2024-01-01', recorded: '2024-01-01', x: 1 },
  { id: 'a2', sensor: 'A', day: '2024-01-03', recorded: '2024-01-03', x: 2 },
  { id: 'a3', sensor: 'A', day: '2024-01-03', recorded: '2024-01-03', x: 4 },
  { id: 'a4', sensor: 'A', day: '2024-01-05', recorded: '2024-01-09T08:00:00Z', x: 8 },
  { id: 'a5', sensor: 'A', day: '2024-01-07', recorded: '2024-01-07', x: 16 },
  { id: 'b1', sensor: 'B', day: '2024-01-06', recorded: '2024-01-06', x: 1000 },
  { id: 'a6', sensor: 'A', day: '2024-01-10', recorded: '2024-01-10', x: 32 },
];

export const readings = {
  table: {
    name: 'readings',
    id: 'id',
    time: { column: 'day', kind: 'date' },
    ingestedAt: 'recorded',
    roles: { self: { entity: 'sensor', key: 'sensor', columns: { x: 'x' } } },
  },
  views: [
    {
      name: 'x_last',
      description: 'Previous reading',
      kind: 'lag',
      entity: 'sensor',
      ttl: '3d',
      column: 'x',
      offset: 1,
    },
    {
      name: 'x_mean2',
      description: 'Mean of the last 2 readings',
      kind: 'rolling',
      entity: 'sensor',
      ttl: '3d',
      column: 'x',
      aggregate: 'mean',
      window: { events: 2 },
    },
    {
      name: 'x_sum5d',
      description: 'Sum of readings in the 5 days before',
      kind: 'rolling',
      entity: 'sensor',
      ttl: '5d',
      column: 'x',
      aggregate: 'sum',
      window: { days: 5 },
    },
    {
      name: 'x_count5d',
      description: 'Readings in the 5 days before',
      kind: 'rolling',
      entity: 'sensor',
      ttl: '5d',
      column: 'x',
      aggregate: 'count',
      window: { days: 5 },
    },
    {
      name: 'gap',
      description: 'Days since the previous reading',
      kind: 'since',
      entity: 'sensor',
      ttl: '30d',
      cap: 30,
    },
    {
      name: 'trend',
      description: 'Previous reading over the recent mean',
      kind: 'formula',
      ttl: '3d',
      ratio: ['x_last', 'x_mean2'],
    },
  ],
} satisfies FeatureStoreSpecInput;

/** Three international matches: a friendly at home, a World Cup match at a neutral venue, a third. */
export const nationRows = [
  {
    date: '2020-01-01',
    home_team: 'X',
    away_team: 'Y',
    home_score: 2,
    away_score: 0,
    tournament: 'Friendly',
    neutral: 'FALSE',
  },
  {
    date: '2020-02-01',
    home_team: 'Y',
    away_team: 'X',
    home_score: 1,
    away_score: 1,
    tournament: 'FIFA World Cup',
    neutral: 'TRUE',
  },
  {
    date: '2020-03-01',
    home_team: 'X',
    away_team: 'Z',
    home_score: 0,
    away_score: 4,
    tournament: 'Friendly',
    neutral: 'FALSE',
  },
];

/** MLB-like team seasons: BOS skips 2002, so its 2001 row has no next-season target. */
export const teamSeasonRows = [
  { yearID: 2000, franchID: 'BOS', G: 162, W: 85, R: 792, RA: 745 },
  { yearID: 2000, franchID: 'NYY', G: 161, W: 87, R: 871, RA: 814 },
  { yearID: 2001, franchID: 'BOS', G: 161, W: 82, R: 772, RA: 745 },
  { yearID: 2001, franchID: 'NYY', G: 161, W: 95, R: 804, RA: 713 },
  { yearID: 2002, franchID: 'NYY', G: 161, W: 103, R: 897, RA: 697 },
  { yearID: 2003, franchID: 'BOS', G: 162, W: 95, R: 961, RA: 809 },
  { yearID: 2003, franchID: 'NYY', G: 163, W: 101, R: 877, RA: 716 },
];
