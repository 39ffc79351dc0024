import type { MatchFeatureName } from '../portfolio/project-spec.ts';

/**
 * The range each feature can take when computed from real matches. A raw-feature request outside
 * it is garbage, not an unusual fixture: it is rejected rather than extrapolated from.
 */
export const featureBounds: Record<MatchFeatureName, { min: number; max: number; meaning: string }> = {
  elo_home: { min: 0, max: 4000, meaning: 'Elo rating of the home side' },
  elo_away: { min: 0, max: 4000, meaning: 'Elo rating of the away side' },
  elo_diff: { min: -4000, max: 4000, meaning: 'elo_home − elo_away' },
  form_home: { min: 0, max: 3, meaning: 'home side: mean points over its last 5 matches' },
  form_away: { min: 0, max: 3, meaning: 'away side: mean points over its last 5 matches' },
  goal_diff_home: { min: -20, max: 20, meaning: 'home side: mean goal difference over its last 5 matches' },
  goal_diff_away: { min: -20, max: 20, meaning: 'away side: mean goal difference over its last 5 matches' },
  home_form_at_home: { min: 0, max: 3, meaning: 'home side: mean points over its last 5 home matches' },
  away_form_away: { min: 0, max: 3, meaning: 'away side: mean points over its last 5 away matches' },
  rest_days_home: { min: 0, max: 14, meaning: 'days since the home side last played, capped at 14' },
  rest_days_away: { min: 0, max: 14, meaning: 'days since the away side last played, capped at 14' },
};

/** Largest |elo_diff − (elo_home − elo_away)| accepted: the features must describe one fixture. */
export const eloDiffTolerance = 1e-6;
