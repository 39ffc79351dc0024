import type { TemplateKind } from './template-kinds.ts';

/** A project the plan can recommend: what it asks, which template starts it, which skills it exercises. */
export interface ProjectIdea {
  id: string;
  title: string;
  question: string;
  /** The `mlfolio new --template` kind that starts it. */
  template: TemplateKind;
  /** Skill ids the project gives evidence for, most central first. */
  skills: readonly string[];
}

export interface FocusArea {
  id: string;
  label: string;
  /** Other words a builder may use for it in `interests`. */
  aliases: readonly string[];
  /** False for an area made from an interest the tool has no ideas or example sources for. */
  known: boolean;
  ideas: readonly ProjectIdea[];
}

/**
 * The skills of the three kinds of project every area offers, most central first: a forecast from
 * public data, the data platform behind it (labels, feature store, retraining), and a service run
 * as an experiment.
 */
export const ideaSkills = {
  forecasting: [
    'collecting-data',
    'modelling',
    'evaluation-in-practice',
    'explainability',
    'communicating-impact',
  ],
  dataPlatform: [
    'collecting-data',
    'annotation-infrastructure',
    'production-code',
    'training-infrastructure',
    'feature-stores',
  ],
  service: [
    'inference-infrastructure',
    'experimentation',
    'feature-stores',
    'production-code',
    'training-infrastructure',
  ],
} as const satisfies Record<string, readonly string[]>;

// The catalogue of projects `mlfolio path` recommends, by interest: data about what each template
// can start, which is why it lives with the templates (they, not the engine, may name a sport).
// Each area's ideas together touch every skill of content/skills/, so any plan can place every
// milestone in a project; a test keeps this true.
export const focusAreas: readonly FocusArea[] = [
  {
    id: 'football',
    label: 'Football',
    aliases: ['soccer', 'premier league', 'la liga', 'bundesliga', 'serie a'],
    known: true,
    ideas: [
      {
        id: 'football-match-forecasts',
        title: 'Match outcome forecasts',
        question:
          'Before kick-off, how likely is a home win, a draw or an away win, and is that better than the rules fans use?',
        template: 'match-outcome',
        skills: ideaSkills.forecasting,
      },
      {
        id: 'football-international-results',
        title: 'International results, weighted by what a match is worth',
        question:
          'Does the home side of an international win, once a World Cup match counts for more than a friendly and a neutral venue for nothing?',
        template: 'international-match',
        skills: ideaSkills.dataPlatform,
      },
      {
        id: 'football-forecast-service',
        title: 'A forecast service with a champion–challenger test',
        question:
          'Can a retrained model be served next to the current one and shown to be better before it replaces it?',
        template: 'match-outcome',
        skills: ideaSkills.service,
      },
    ],
  },
  {
    id: 'basketball',
    label: 'Basketball',
    aliases: ['nba', 'wnba', 'euroleague', 'ncaa'],
    known: true,
    ideas: [
      {
        id: 'basketball-team-wins',
        title: 'Team win forecasts from season stats tables',
        question:
          "From this season's team table, how many games will each team win next season, and how much better than last season's total is that?",
        template: 'stats-table',
        skills: ideaSkills.forecasting,
      },
      {
        id: 'basketball-season-projections',
        title: 'Next-season projections from a feature store',
        question:
          'From the seasons scraped so far, what will each team achieve next season, how sure can we be, and are the features served the ones trained on?',
        template: 'stats-table',
        skills: ideaSkills.dataPlatform,
      },
      {
        id: 'basketball-projection-service',
        title: 'A projection service with an A/B comparison',
        question:
          'Can new projections be served alongside the old ones and proven better on the games that follow?',
        template: 'stats-table',
        skills: ideaSkills.service,
      },
    ],
  },
  {
    id: 'baseball',
    label: 'Baseball',
    aliases: ['mlb', 'sabermetrics'],
    known: true,
    ideas: [
      {
        id: 'baseball-team-wins',
        title: 'Team win forecasts from batting and pitching tables',
        question:
          'From team batting and pitching tables, how many games will a team win, against the Pythagorean rule?',
        template: 'team-season',
        skills: ideaSkills.forecasting,
      },
      {
        id: 'baseball-scraped-standings',
        title: 'Win forecasts from scraped standings pages',
        question:
          'From one scraped standings page per season, how many games will each team win next season, and does the scraper notice when the pages change?',
        template: 'stats-table',
        skills: ideaSkills.dataPlatform,
      },
      {
        id: 'baseball-projection-service',
        title: 'A projection service with an A/B comparison',
        question:
          'Can a new projection model be served next to the old one and shown to be better over a season?',
        template: 'team-season',
        skills: ideaSkills.service,
      },
    ],
  },
];
