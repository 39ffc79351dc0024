import type { FeatureStoreSpecInput } from '../../pipelines/feature-store/index.ts';

/**
 * Three shapes of event table declared as data, as a project file would: club football matches
 * (the 11 features of `pipelines/features/match-features.ts`), international matches (Elo with K by
 * tournament and neutral venues), and MLB team seasons (one entity per row).
 */

const points = (own: string, other: string) =>
  `CASE WHEN ${own} > ${other} THEN 3 WHEN ${own} = ${other} THEN 1 ELSE 0 END`;

export const clubFootball = {
  table: {
    name: 'matches',
    time: { column: 'date', kind: 'date' },
    season: 'season',
    roles: {
      home: {
        entity: 'team',
        key: 'homeTeam',
        columns: {
          goals_for: 'homeGoals',
          points: points('homeGoals', 'awayGoals'),
          goal_diff: 'homeGoals - awayGoals',
        },
      },
      away: {
        entity: 'team',
        key: 'awayTeam',
        columns: {
          goals_for: 'awayGoals',
          points: points('awayGoals', 'homeGoals'),
          goal_diff: 'awayGoals - homeGoals',
        },
      },
    },
  },
  views: [
    {
      name: 'elo',
      description: 'World Football Elo rating before the match',
      kind: 'elo',
      entity: 'team',
      ttl: '400d',
      score: 'goals_for',
      k: 20,
      homeAdvantage: 60,
      initial: 1500,
      newcomer: 1420,
      marginMultiplier: true,
    },
    {
      name: 'elo_diff',
      description: 'Home minus away rating',
      kind: 'formula',
      ttl: '400d',
      difference: ['elo_home', 'elo_away'],
    },
    {
      name: 'form',
      description: 'Mean points over the last 5 matches',
      kind: 'rolling',
      entity: 'team',
      ttl: '120d',
      column: 'points',
      aggregate: 'mean',
      window: { events: 5 },
      default: 1.37,
    },
    {
      name: 'goal_diff',
      description: 'Mean goal difference over the last 5 matches',
      kind: 'rolling',
      entity: 'team',
      ttl: '120d',
      column: 'goal_diff',
      aggregate: 'mean',
      window: { events: 5 },
      default: 0,
    },
    {
      name: 'form_at_home',
      description: "The home side's mean points over its last 5 home matches",
      kind: 'rolling',
      entity: 'team',
      ttl: '120d',
      roles: ['home'],
      historyRoles: ['home'],
      output: 'home_form_at_home',
      column: 'points',
      aggregate: 'mean',
      window: { events: 5 },
      default: 1.37,
    },
    {
      name: 'form_on_road',
      description: "The away side's mean points over its last 5 away matches",
      kind: 'rolling',
      entity: 'team',
      ttl: '120d',
      roles: ['away'],
      historyRoles: ['away'],
      output: 'away_form_away',
      column: 'points',
      aggregate: 'mean',
      window: { events: 5 },
      default: 1.37,
    },
    {
      name: 'rest_days',
      description: 'Days since the previous match, capped at 14',
      kind: 'since',
      entity: 'team',
      ttl: '400d',
      cap: 14,
    },
  ],
} satisfies FeatureStoreSpecInput;

/** K by tournament importance, after eloratings.net. */
/** The club-football declaration plus a raw column that is an outcome of the event: a leak. */
export const leakyClubFootball = {
  ...clubFootball,
  views: [
    ...clubFootball.views,
    {
      name: 'home_goals',
      description: 'Goals (an outcome!)',
      kind: 'column',
      ttl: '1d',
      column: 'homeGoals',
    },
  ],
} as FeatureStoreSpecInput;

export const tournamentK = {
  'FIFA World Cup': 60,
  'UEFA Euro': 50,
  'Copa América': 50,
  'African Cup of Nations': 50,
  'AFC Asian Cup': 50,
  'Gold Cup': 50,
  'FIFA World Cup qualification': 40,
  'UEFA Euro qualification': 40,
  Friendly: 20,
};

export const internationalFootball = {
  table: {
    name: 'results',
    time: { column: 'date', kind: 'date' },
    roles: {
      home: {
        entity: 'nation',
        key: 'home_team',
        columns: { goals_for: 'home_score', goals_against: 'away_score' },
      },
      away: {
        entity: 'nation',
        key: 'away_team',
        columns: { goals_for: 'away_score', goals_against: 'home_score' },
      },
    },
  },
  views: [
    {
      name: 'neutral_venue',
      description: 'The match is played on neutral ground',
      kind: 'column',
      ttl: '1d',
      column: 'neutral',
    },
    {
      name: 'elo',
      description: 'Elo rating before the match, K by tournament, no home advantage at neutral venues',
      kind: 'elo',
      entity: 'nation',
      ttl: '1000d',
      score: 'goals_for',
      k: { column: 'tournament', values: tournamentK, default: 30 },
      homeAdvantage: 100,
      initial: 1500,
      marginMultiplier: true,
      neutral: 'neutral',
    },
    {
      name: 'elo_diff',
      description: 'Home minus away rating',
      kind: 'formula',
      ttl: '1000d',
      difference: ['elo_home', 'elo_away'],
    },
    {
      name: 'goals_scored',
      description: 'Mean goals scored in matches of the last 2 years',
      kind: 'rolling',
      entity: 'nation',
      ttl: '730d',
      column: 'goals_for',
      aggregate: 'mean',
      window: { days: 730 },
    },
  ],
} satisfies FeatureStoreSpecInput;

export const mlbTeamSeasons = {
  table: {
    name: 'teams',
    time: { column: 'yearID', kind: 'season' },
    roles: {
      self: { entity: 'team', key: 'franchID', columns: { W: 'W', R: 'R', RA: 'RA', G: 'G' } },
    },
  },
  views: [
    { name: 'W', description: "This season's wins", kind: 'column', ttl: '1 season', column: 'W' },
    { name: 'R', description: "This season's runs scored", kind: 'column', ttl: '1 season', column: 'R' },
    { name: 'RA', description: "This season's runs allowed", kind: 'column', ttl: '1 season', column: 'RA' },
    { name: 'G', description: "This season's games", kind: 'column', ttl: '1 season', column: 'G' },
    {
      name: 'pythagorean_wins',
      description: 'Pythagorean expectation of wins',
      kind: 'formula',
      ttl: '1 season',
      expression: 'G * R^2 / (R^2 + RA^2)',
    },
    {
      name: 'wins_last_season',
      description: 'Wins in the previous season the franchise played',
      kind: 'lag',
      entity: 'team',
      ttl: '2 seasons',
      column: 'W',
      offset: 1,
    },
    {
      name: 'wins_3_seasons',
      description: 'Mean wins over the 3 seasons before',
      kind: 'rolling',
      entity: 'team',
      ttl: '3 seasons',
      column: 'W',
      aggregate: 'mean',
      window: { seasons: 3 },
    },
  ],
} satisfies FeatureStoreSpecInput;
