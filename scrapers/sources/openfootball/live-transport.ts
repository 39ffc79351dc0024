import { z } from 'zod';
import { MlfolioError } from '../../../portfolio/errors.ts';
import { parseWith } from '../../../portfolio/validate.ts';
import type { PoliteFetcher } from '../../fetch/polite-fetcher.ts';
import { isScrapeError } from '../../scrape-error.ts';
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

const teamSchema = z.union([z.string(), z.looseObject({ name: z.string().optional() })]).optional();
const matchSchema = z.looseObject({
  date: z.string().optional(),
  team1: teamSchema,
  team2: teamSchema,
  score: z.looseObject({ ft: z.tuple([z.number(), z.number()]).nullable().optional() }).optional(),
  score1: z.number().nullable().optional(),
  score2: z.number().nullable().optional(),
});
/** Both layouts of football.json: `{ matches: [...] }` (current) and `{ rounds: [{ matches }] }`. */
const leagueFileSchema = z.looseObject({
  name: z.string().optional(),
  matches: z.array(matchSchema).optional(),
  rounds: z.array(z.looseObject({ matches: z.array(matchSchema).optional() })).optional(),
});

export function openFootballUrls(options: {
  seasons: readonly string[];
  leagues: readonly string[];
  baseUrl?: string;
}): { url: string; season: string; league: string }[] {
  const baseUrl = (options.baseUrl ?? defaultOpenFootballBaseUrl).replace(/\/$/, '');
  return options.seasons.flatMap((season) =>
    options.leagues.map((league) => ({ url: `${baseUrl}/${season}/${league}.json`, season, league })),
  );
}

/** Reads one football.json league file into raw matches; a file of another shape is an error. */
export function parseOpenFootball(body: Buffer, url: string, league: string): RawMatch[] {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_SOURCE_INVALID',
        message: `${url} is not JSON (${(error as Error).message}).`,
        hint: 'Check the base URL: it should point at a football.json checkout.',
      },
      { cause: error },
    );
  }
  const file = parseWith(leagueFileSchema, json, url, 'E_SOURCE_INVALID');
  const matches = file.matches ?? file.rounds?.flatMap((round) => round.matches ?? []) ?? [];
  return matches.map((match) => {
    const ft = match.score?.ft;
    return {
      date: match.date,
      league: openFootballLeagues[league] ?? file.name ?? league,
      homeTeam: typeof match.team1 === 'object' ? match.team1?.name : match.team1,
      awayTeam: typeof match.team2 === 'object' ? match.team2?.name : match.team2,
      homeGoals: ft ? ft[0] : match.score1,
      awayGoals: ft ? ft[1] : match.score2,
    };
  });
}

/**
 * Fetches `<baseUrl>/<season>/<league>.json` for each season and league through the polite
 * fetcher (so responses land in the snapshot store and replay offline).
 */
export async function fetchOpenFootball(options: {
  seasons: readonly string[];
  leagues: readonly string[];
  baseUrl?: string;
  fetcher: PoliteFetcher;
}): Promise<{ rows: RawMatch[]; origin: string[] }> {
  const rows: RawMatch[] = [];
  const origin: string[] = [];
  for (const { url, season, league } of openFootballUrls(options)) {
    let body: Buffer;
    try {
      body = (await options.fetcher.fetch(url)).body;
    } catch (error) {
      if (isScrapeError(error) && error.code === 'E_HTTP_NOT_FOUND') {
        throw new MlfolioError(
          {
            code: 'E_SOURCE_NOT_FOUND',
            message: `${url} does not exist (HTTP 404).`,
            hint: `Check the season "${season}" and league "${league}" in project.yaml.`,
          },
          { cause: error },
        );
      }
      throw error;
    }
    rows.push(...parseOpenFootball(body, url, league));
    origin.push(url);
  }
  return { rows, origin };
}
