import type { TemplateKind } from '../../templates/template-kinds.ts';

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
        skills: [
          'collecting-data',
          'modelling',
          'evaluation-in-practice',
          'explainability',
          'communicating-impact',
        ],
      },
      {
        id: 'football-international-results',
        title: 'International results, weighted by what a match is worth',
        question:
          'Does the home side of an international win, once a World Cup match counts for more than a friendly and a neutral venue for nothing?',
        template: 'international-match',
        skills: [
          'collecting-data',
          'annotation-infrastructure',
          'production-code',
          'training-infrastructure',
          'feature-stores',
        ],
      },
      {
        id: 'football-forecast-service',
        title: 'A forecast service with a champion–challenger test',
        question:
          'Can a retrained model be served next to the current one and shown to be better before it replaces it?',
        template: 'match-outcome',
        skills: [
          'inference-infrastructure',
          'experimentation',
          'feature-stores',
          'production-code',
          'training-infrastructure',
        ],
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
        id: 'basketball-game-forecasts',
        title: 'Game outcome forecasts from team stats tables',
        question:
          'From team per-game tables, how likely is each side to win, and how much better than the point-differential rule?',
        template: 'stats-table',
        skills: [
          'collecting-data',
          'modelling',
          'evaluation-in-practice',
          'explainability',
          'communicating-impact',
        ],
      },
      {
        id: 'basketball-player-projections',
        title: 'Player scoring projections',
        question: 'How many points will a player score next season, and how sure can we be?',
        template: 'stats-table',
        skills: [
          'collecting-data',
          'annotation-infrastructure',
          'production-code',
          'training-infrastructure',
          'feature-stores',
        ],
      },
      {
        id: 'basketball-projection-service',
        title: 'A projection service with an A/B comparison',
        question:
          'Can new projections be served alongside the old ones and proven better on the games that follow?',
        template: 'stats-table',
        skills: [
          'inference-infrastructure',
          'experimentation',
          'feature-stores',
          'production-code',
          'training-infrastructure',
        ],
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
        skills: [
          'collecting-data',
          'modelling',
          'evaluation-in-practice',
          'explainability',
          'communicating-impact',
        ],
      },
      {
        id: 'baseball-player-aging',
        title: 'Player aging curves',
        question:
          "How will a player's output change next season given their age and history, and where is the model unsure?",
        template: 'stats-table',
        skills: [
          'collecting-data',
          'annotation-infrastructure',
          'production-code',
          'training-infrastructure',
          'feature-stores',
        ],
      },
      {
        id: 'baseball-projection-service',
        title: 'A projection service with an A/B comparison',
        question:
          'Can a new projection model be served next to the old one and shown to be better over a season?',
        template: 'team-season',
        skills: [
          'inference-infrastructure',
          'experimentation',
          'feature-stores',
          'production-code',
          'training-infrastructure',
        ],
      },
    ],
  },
];

/** Whether a project's tags name `area`: its id, its label or one of its aliases. */
export function taggedWith(area: FocusArea, tags: readonly string[]): boolean {
  const names = new Set([area.id, area.label.toLowerCase(), ...area.aliases]);
  return tags.some((tag) => names.has(tag.trim().toLowerCase()));
}

/**
 * The focus area for `interests`: the first interest that names a known area. An interest the tool
 * does not know becomes an area of its own, with the same three kinds of project in its words.
 */
export function focusAreaFor(interests: readonly string[]): FocusArea {
  for (const interest of interests) {
    const wanted = interest.trim().toLowerCase();
    const area = focusAreas.find(
      (a) => a.id === wanted || a.label.toLowerCase() === wanted || a.aliases.includes(wanted),
    );
    if (area) return area;
  }
  const label = interests[0]!.trim();
  const id =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'sport';
  return {
    id,
    label,
    aliases: [],
    known: false,
    ideas: [
      {
        id: `${id}-outcome-forecasts`,
        title: `${label}: outcome forecasts from public stats tables`,
        question: `Before a ${label} event, how likely is each outcome, and is that better than the rule people use today?`,
        template: 'stats-table',
        skills: [
          'collecting-data',
          'modelling',
          'evaluation-in-practice',
          'explainability',
          'communicating-impact',
        ],
      },
      {
        id: `${id}-performance-projections`,
        title: `${label}: next-season performance projections`,
        question: `From per-season ${label} tables, what will each competitor achieve next season, and how sure can we be?`,
        template: 'stats-table',
        skills: [
          'collecting-data',
          'annotation-infrastructure',
          'production-code',
          'training-infrastructure',
          'feature-stores',
        ],
      },
      {
        id: `${id}-forecast-service`,
        title: `${label}: a forecast service with an A/B comparison`,
        question:
          'Can a retrained model be served next to the current one and shown to be better before it replaces it?',
        template: 'stats-table',
        skills: [
          'inference-infrastructure',
          'experimentation',
          'feature-stores',
          'production-code',
          'training-infrastructure',
        ],
      },
    ],
  };
}
