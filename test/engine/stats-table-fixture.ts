import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type FaultServer, ok, startFaultServer } from '../scrapers/fault-server.ts';
import { fixtureSeasons, pageFile, pagesDir } from './fixtures/stats-table/render-pages.ts';

/**
 * A real loopback HTTP server publishing the stats-table fixture pages (see
 * fixtures/stats-table/README.md) at `/leagues/MLB_<season>.html`, with a robots.txt that allows
 * everything. `/empty/…` serves the same pages with no rows in the standings table.
 */
export async function serveFixturePages(): Promise<FaultServer> {
  const server = await startFaultServer({
    '/robots.txt': ok('User-agent: *\nAllow: /\n', { 'content-type': 'text/plain' }),
  });
  for (let season = fixtureSeasons.from; season <= fixtureSeasons.to; season++) {
    const html = await readFile(join(pagesDir, pageFile(season)), 'utf8');
    server.route(`/leagues/${pageFile(season)}`, ok(html));
    server.route(
      `/empty/${pageFile(season)}`,
      ok(html.replace(/(id="team_standings"[\s\S]*?<tbody>)[\s\S]*?(<\/tbody>)/, '$1$2')),
    );
  }
  return server;
}

/** What a builder writes over a stats-table scaffold's placeholders to read the fixture pages. */
export interface FixtureSource {
  path?: string;
  seasons?: { from: number; to: number };
  tableId?: string;
  scoredFrom?: string;
}

/**
 * Replaces the placeholders of a scaffolded `source.yaml` with the fixture site's pages, table and
 * headers, as a builder would with their own site's (comments in the file are not kept).
 */
export async function pointSourceAtFixtures(
  projectDir: string,
  server: FaultServer,
  options: FixtureSource = {},
): Promise<void> {
  const file = join(projectDir, 'source.yaml');
  const source = parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  source.pages = {
    url: server.url(`${options.path ?? '/leagues'}/MLB_{season}.html`),
    seasons: options.seasons ?? { ...fixtureSeasons },
  };
  source.table = {
    ids: [options.tableId ?? 'team_standings'],
    columns: {
      team: { from: 'Tm', take: 'link-id' },
      team_name: { from: 'Tm' },
      wins: { from: 'W', type: 'integer' },
      losses: { from: 'L', type: 'integer' },
      scored: { from: options.scoredFrom ?? 'R', type: 'number' },
      allowed: { from: 'RA', type: 'number' },
    },
    minRows: 20,
  };
  source.licence = 'CC BY-SA 3.0';
  source.attribution =
    'Baseball Databank (Chadwick Baseball Bureau), based on the Lahman Baseball Database © Sean Lahman';
  await writeFile(file, stringify(source));
}
