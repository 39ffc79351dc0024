import type { MatchFeatureName } from '../../portfolio/project-spec.ts';
import type { MatchRecord } from '../../scrapers/sources/openfootball/index.ts';
import {
  defaultHistoryOptions,
  type HistoryOptions,
  priorPointsPerGame,
  TeamHistory,
  type TeamState,
} from './team-history.ts';

/** Outcome classes in the order used everywhere: home win, draw, away win (ordered, for RPS). */
export const outcomeClasses = ['H', 'D', 'A'] as const;
export type Outcome = 0 | 1 | 2;

export interface FeatureRow {
  date: string;
  season: string;
  league: string;
  homeTeam: string;
  awayTeam: string;
  outcome: Outcome;
  homeGoals: number;
  awayGoals: number;
  features: Record<MatchFeatureName, number>;
}

export function outcomeOf(homeGoals: number, awayGoals: number): Outcome {
  return homeGoals > awayGoals ? 0 : homeGoals === awayGoals ? 1 : 2;
}

const restDaysCap = 14;

/** Features of a fixture between two teams in the states given, on `date`. */
export function fixtureFeatures(
  home: TeamState,
  away: TeamState,
  date: string,
): Record<MatchFeatureName, number> {
  return {
    elo_home: home.elo,
    elo_away: away.elo,
    elo_diff: home.elo - away.elo,
    form_home: mean(
      home.recent.map((r) => r.points),
      priorPointsPerGame,
    ),
    form_away: mean(
      away.recent.map((r) => r.points),
      priorPointsPerGame,
    ),
    goal_diff_home: mean(
      home.recent.map((r) => r.goalDifference),
      0,
    ),
    goal_diff_away: mean(
      away.recent.map((r) => r.goalDifference),
      0,
    ),
    home_form_at_home: mean(home.recentHome, priorPointsPerGame),
    away_form_away: mean(away.recentAway, priorPointsPerGame),
    rest_days_home: restDays(home.lastDate, date),
    rest_days_away: restDays(away.lastDate, date),
  };
}

/**
 * Computes every feature of every match from matches played on earlier dates only: all matches
 * of one date are featurised from the state before that date, and only then is the state updated
 * with their results. `matches` must be sorted by date.
 */
export function computeMatchFeatures(
  matches: readonly MatchRecord[],
  options: HistoryOptions = defaultHistoryOptions,
): { rows: FeatureRow[]; teams: Record<string, TeamState> } {
  const history = new TeamHistory(options);
  const rows: FeatureRow[] = [];
  let start = 0;
  while (start < matches.length) {
    const date = matches[start]!.date;
    let end = start;
    while (end < matches.length && matches[end]!.date === date) end++;
    const day = matches.slice(start, end);
    for (const match of day) {
      rows.push({
        date: match.date,
        season: match.season,
        league: match.league,
        homeTeam: match.homeTeam,
        awayTeam: match.awayTeam,
        homeGoals: match.homeGoals,
        awayGoals: match.awayGoals,
        outcome: outcomeOf(match.homeGoals, match.awayGoals),
        features: fixtureFeatures(
          history.get(match.homeTeam, match.season),
          history.get(match.awayTeam, match.season),
          match.date,
        ),
      });
    }
    for (const match of day) history.record(match);
    start = end;
  }
  return { rows, teams: history.snapshot() };
}

function mean(values: readonly number[], fallback: number): number {
  if (values.length === 0) return fallback;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function restDays(lastDate: string | undefined, date: string): number {
  if (!lastDate) return restDaysCap;
  const days = (Date.parse(date) - Date.parse(lastDate)) / 86_400_000;
  return Math.min(restDaysCap, days);
}
