import { defaultEloParameters, type EloParameters, eloUpdate } from './elo.ts';

/** What is known about a team before a given match day. */
export interface TeamState {
  elo: number;
  /** Points and goal difference of recent matches, most recent last. */
  recent: { points: number; goalDifference: number }[];
  recentHome: number[];
  recentAway: number[];
  lastDate: string | undefined;
}

export interface HistoryOptions {
  window: number;
  elo: EloParameters;
}

export const defaultHistoryOptions: HistoryOptions = { window: 5, elo: defaultEloParameters };

/** Points per game assumed for a team with no recent matches: the long-run league average. */
export const priorPointsPerGame = 1.37;

export class TeamHistory {
  readonly #teams = new Map<string, TeamState>();
  readonly #options: HistoryOptions;
  #firstSeason: string | undefined;

  constructor(options: HistoryOptions = defaultHistoryOptions) {
    this.#options = options;
  }

  /** The state of `team` as of now, creating it (as a newcomer after the first season) if unseen. */
  get(team: string, season: string): TeamState {
    this.#firstSeason ??= season;
    let state = this.#teams.get(team);
    if (!state) {
      const elo = season === this.#firstSeason ? this.#options.elo.initial : this.#options.elo.newcomer;
      state = { elo, recent: [], recentHome: [], recentAway: [], lastDate: undefined };
      this.#teams.set(team, state);
    }
    return state;
  }

  record(match: {
    date: string;
    season: string;
    homeTeam: string;
    awayTeam: string;
    homeGoals: number;
    awayGoals: number;
  }): void {
    const home = this.get(match.homeTeam, match.season);
    const away = this.get(match.awayTeam, match.season);
    const delta = eloUpdate(home.elo, away.elo, match.homeGoals, match.awayGoals, this.#options.elo);
    home.elo += delta;
    away.elo -= delta;
    const homePoints = match.homeGoals > match.awayGoals ? 3 : match.homeGoals === match.awayGoals ? 1 : 0;
    const awayPoints = match.homeGoals < match.awayGoals ? 3 : match.homeGoals === match.awayGoals ? 1 : 0;
    push(
      home.recent,
      { points: homePoints, goalDifference: match.homeGoals - match.awayGoals },
      this.#options.window,
    );
    push(
      away.recent,
      { points: awayPoints, goalDifference: match.awayGoals - match.homeGoals },
      this.#options.window,
    );
    push(home.recentHome, homePoints, this.#options.window);
    push(away.recentAway, awayPoints, this.#options.window);
    home.lastDate = match.date;
    away.lastDate = match.date;
  }

  snapshot(): Record<string, TeamState> {
    return Object.fromEntries(
      [...this.#teams.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([team, state]) => [team, structuredClone(state)]),
    );
  }
}

function push<T>(list: T[], value: T, window: number): void {
  list.push(value);
  if (list.length > window) list.shift();
}
