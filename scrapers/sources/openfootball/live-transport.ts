import got from 'got';
import { MlfolioError } from '../../../portfolio/errors.ts';
import type { RawMatch } from './normalise.ts';

export const defaultOpenFootballBaseUrl =
  'https://raw.githubusercontent.com/openfootball/football.json/master';

/** League codes of openfootball/football.json and their display names. */
export const openFootballLeagues: Record<string, string> = {
  'en.1': 'English Premier League',
  'es.1': 'Primera Division',
  'de.1': 'Deutsche Bundesliga',
  'it.1': 'Serie A',
  'fr.1': 'Ligue 1',
  'at.1': 'Österreichische Bundesliga',
};

interface OpenFootballMatch {
  date?: string;
  team1?: string | { name?: string };
  team2?: string | { name?: string };
  score?: { ft?: [number, number] | null };
  score1?: number | null;
  score2?: number | null;
}

/**
 * Fetches `<baseUrl>/<season>/<league>.json` for each season and league. Understands both the
 * current `{ matches: [...] }` layout and the older `{ rounds: [{ matches }] }` one.
 */
export async function fetchOpenFootball(options: {
  seasons: readonly string[];
  leagues: readonly string[];
  baseUrl?: string;
  userAgent?: string;
}): Promise<{ rows: RawMatch[]; origin: string[] }> {
  const baseUrl = (options.baseUrl ?? defaultOpenFootballBaseUrl).replace(/\/$/, '');
  const rows: RawMatch[] = [];
  const origin: string[] = [];
  for (const season of options.seasons) {
    for (const league of options.leagues) {
      const url = `${baseUrl}/${season}/${league}.json`;
      let body: {
        name?: string;
        matches?: OpenFootballMatch[];
        rounds?: { matches?: OpenFootballMatch[] }[];
      };
      try {
        body = await got(url, {
          timeout: { request: 30_000 },
          retry: { limit: 2 },
          headers: { 'user-agent': options.userAgent ?? 'mlfolio (+https://github.com/mlfolio)' },
        }).json();
      } catch (error) {
        const status = (error as { response?: { statusCode?: number } }).response?.statusCode;
        throw new MlfolioError(
          {
            code: status === 404 ? 'E_SOURCE_NOT_FOUND' : 'E_SOURCE_UNAVAILABLE',
            message: `GET ${url} failed${status ? ` with HTTP ${status}` : ''}: ${(error as Error).message}`,
            hint:
              status === 404
                ? `Check the season "${season}" and league "${league}" in project.yaml.`
                : 'Check the network connection, or use `transport: offline`.',
            exitCode: status === 404 ? 3 : 4,
            retryable: status !== 404,
          },
          { cause: error },
        );
      }
      const matches = body.matches ?? body.rounds?.flatMap((round) => round.matches ?? []) ?? [];
      for (const match of matches) {
        const ft = match.score?.ft;
        rows.push({
          date: match.date,
          league: openFootballLeagues[league] ?? body.name ?? league,
          homeTeam: typeof match.team1 === 'object' ? match.team1?.name : match.team1,
          awayTeam: typeof match.team2 === 'object' ? match.team2?.name : match.team2,
          homeGoals: ft ? ft[0] : match.score1,
          awayGoals: ft ? ft[1] : match.score2,
        });
      }
      origin.push(url);
    }
  }
  return { rows, origin };
}
