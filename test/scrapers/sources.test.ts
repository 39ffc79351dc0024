import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPolicy } from '../../scrapers/fetch/fetch-policy.ts';
import { PoliteFetcher } from '../../scrapers/fetch/polite-fetcher.ts';
import type { ScrapeError } from '../../scrapers/scrape-error.ts';
import { runScrape } from '../../scrapers/scrape-plan.ts';
import { SnapshotStore } from '../../scrapers/snapshot-store/snapshot-store.ts';
import {
  internationalResultsPlan,
  parseInternationalResults,
} from '../../scrapers/sources/international-results/index.ts';
import { collectOpenFootball } from '../../scrapers/sources/openfootball/index.ts';
import { type FaultServer, ok, startFaultServer } from './fault-server.ts';

// Invented rows in the layout of martj42/international_results, with a BOM and an unplayed match.
const resultsCsv = Buffer.from(
  '\uFEFFdate,home_team,away_team,home_score,away_score,tournament,city,country,neutral\n' +
    '2024-06-14,Germany,Scotland,5,1,UEFA Euro,Munich,Germany,FALSE\n' +
    '2024-06-15,Côte d’Ivoire,Ghana,0,0,Friendly,Abidjan,Ivory Coast,FALSE\n' +
    '2026-07-19,Spain,France,NA,NA,FIFA World Cup,New York,United States,TRUE\n',
);

const leagueJson = JSON.stringify({
  name: 'Example League 2024/25',
  matches: [
    {
      round: 'Matchday 1',
      date: '2024-08-16',
      team1: 'Northport',
      team2: 'Elm City',
      score: { ht: [0, 0], ft: [1, 0] },
    },
    { round: 'Matchday 1', date: '2024-08-17', team1: 'Kraków', team2: 'Northport' },
  ],
});

let server: FaultServer;
let dir: string;
beforeAll(async () => {
  server = await startFaultServer({
    '/results.csv': ok(resultsCsv, { 'content-type': 'text/csv' }),
    '/2024-25/en.1.json': ok(leagueJson, { 'content-type': 'application/json' }),
  });
  dir = await mkdtemp(join(tmpdir(), 'mlfolio-sources-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

const fetcher = () =>
  new PoliteFetcher({
    store: new SnapshotStore(join(dir, 'store')),
    policyFor: () => fetchPolicy({ requestsPerMinute: 0 }),
  });

describe('international results (CSV)', () => {
  it('reads scores through a BOM and excludes unplayed matches as no data, never 0–0', () => {
    const { records, excluded } = parseInternationalResults(resultsCsv, 'https://x.test/results.csv');
    expect(records).toEqual([
      expect.objectContaining({
        date: '2024-06-14',
        homeTeam: 'Germany',
        homeGoals: 5,
        awayGoals: 1,
        neutral: false,
      }),
      expect.objectContaining({ homeTeam: 'Côte d’Ivoire', homeGoals: 0, awayGoals: 0 }),
    ]);
    expect(excluded).toEqual([
      expect.objectContaining({
        location: 'https://x.test/results.csv line 4',
        reason: expect.stringMatching(/^no data/),
      }),
    ]);
  });

  it('reports a changed header as a layout change with expected and found columns', () => {
    const renamed = Buffer.from(resultsCsv.toString().replace('home_score', 'home_goals'));
    const error = (() => {
      try {
        parseInternationalResults(renamed, 'https://x.test/results.csv');
      } catch (caught) {
        return caught as ScrapeError;
      }
    })();
    expect(error).toMatchObject({ kind: 'layout-changed', code: 'E_LAYOUT_CHANGED' });
    expect(error?.message).toContain('Found: date,home_team,away_team,home_goals'.replaceAll(',', ', '));
  });

  it('collects live through the polite fetcher into a dataset with provenance', async () => {
    const outcome = await runScrape(internationalResultsPlan(server.url('/results.csv')), {
      fetcher: fetcher(),
      frontierFile: join(dir, 'international', 'frontier.jsonl'),
      now: () => new Date('2026-03-01T00:00:00Z'),
    });
    expect(outcome.dataset?.provenance).toMatchObject({
      source: 'international-results',
      rows: 2,
      excludedRows: 1,
      licence: 'CC0 1.0',
      origin: [server.url('/results.csv')],
    });
  });
});

describe('OpenFootball (live)', () => {
  it('fetches through the polite fetcher and keeps unplayed matches out', async () => {
    const dataset = await collectOpenFootball(
      {
        kind: 'openfootball',
        transport: 'live',
        seasons: ['2024-25'],
        leagues: ['en.1'],
        baseUrl: server.origin,
      },
      { fetcher: fetcher(), now: () => new Date('2026-03-01T00:00:00Z') },
    );
    expect(dataset.records).toEqual([
      {
        date: '2024-08-16',
        season: '2024-25',
        league: 'English Premier League',
        homeTeam: 'Northport',
        awayTeam: 'Elm City',
        homeGoals: 1,
        awayGoals: 0,
      },
    ]);
    expect(dataset.excluded[0]?.reason).toContain('no score');
    expect(await new SnapshotStore(join(dir, 'store')).has(server.url('/2024-25/en.1.json'))).toBe(true);
  });

  it('names the season and league when the file does not exist', async () => {
    await expect(
      collectOpenFootball(
        {
          kind: 'openfootball',
          transport: 'live',
          seasons: ['1999-00'],
          leagues: ['en.1'],
          baseUrl: server.origin,
        },
        { fetcher: fetcher() },
      ),
    ).rejects.toMatchObject({
      code: 'E_SOURCE_NOT_FOUND',
      hint: expect.stringContaining('season "1999-00" and league "en.1"'),
    });
  });
});
