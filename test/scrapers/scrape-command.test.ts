import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { v1ProjectFile } from '../helpers/v1-football.ts';
import { type FaultServer, ok, startFaultServer } from './fault-server.ts';
import { fixtureSite } from './fixtures/record-snapshots.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name));
let server: FaultServer;
let root: string;
let output: string[];
let errors: string[];

beforeAll(async () => {
  server = await startFaultServer({
    '/leagues/2019.html': ok(fixture('league-2019-team-stats.html')),
    '/leagues/2021.html': ok(fixture('league-2021-team-stats.html')),
    '/matches/cancelled.html': ok(fixture('match-cancelled.html')),
  });
  root = await mkdtemp(join(tmpdir(), 'mlfolio-scrape-'));
  vi.stubEnv('MLFOLIO_ROOT', root);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await server.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  output = [];
  errors = [];
  vi.spyOn(console, 'log').mockImplementation((...parts) => void output.push(parts.join(' ')));
  vi.spyOn(console, 'error').mockImplementation((...parts) => void errors.push(parts.join(' ')));
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

function captureStdout(): string[] {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  return written;
}

async function sourceFile(name: string, urls: string[], ids = ['totals-team', 'team-stats-base']) {
  const file = join(root, `${name}.yaml`);
  await writeFile(
    file,
    [
      'kind: html-stats-table',
      'fetch: { requestsPerMinute: 0 }',
      'urls:',
      ...urls.map((url) => `  - ${server.url(url)}`),
      'table:',
      `  ids: [${ids.join(', ')}]`,
      '  columns:',
      '    team: Team',
      '    teamId: { from: Team, take: link-id }',
      '    games: { from: G, type: integer }',
      '    fieldGoals: { from: FG, type: integer }',
    ].join('\n'),
  );
  return file;
}

describe('mlfolio scrape <source file>', () => {
  it('collects every page, prints a summary, and writes a dataset with provenance', async () => {
    const file = await sourceFile('teams', [
      '/leagues/2019.html',
      '/leagues/2021.html',
      '/matches/cancelled.html',
    ]);
    expect(await main(['scrape', file])).toBe(0);
    expect(output[0]).toMatch(/^teams: fetched 3, from cache 0, retried 0, blocked 0, failed 0/);
    const dataset = JSON.parse(
      await readFile(join(root, '.mlfolio', 'data', 'teams', 'dataset.json'), 'utf8'),
    );
    expect(dataset.records).toHaveLength(6);
    expect(dataset.records[0]).toMatchObject({
      team: 'Northport Tides*',
      teamId: 'NRT',
      games: 82,
      fieldGoals: 3511,
    });
    // The league-average footer rows are listed with their reason, never read as teams.
    expect(dataset.excluded).toEqual([
      expect.objectContaining({
        location: `${server.url('/leagues/2019.html')} table#team-stats-base footer row 1`,
        reason: expect.stringMatching(/^a footer row \("League Average/),
      }),
      expect.objectContaining({
        location: `${server.url('/leagues/2021.html')} table#totals-team footer row 1`,
        reason: expect.stringMatching(/^a footer row \("League Average/),
      }),
      expect.objectContaining({
        location: server.url('/matches/cancelled.html'),
        reason: expect.stringMatching(/^no data/),
      }),
    ]);
    expect(dataset.provenance.origin).toHaveLength(3);
  });

  it('fetches nothing on a rerun, and replays offline to the same dataset', async () => {
    const file = await sourceFile('teams', [
      '/leagues/2019.html',
      '/leagues/2021.html',
      '/matches/cancelled.html',
    ]);
    const requests = server.log.length;
    const datasetFile = join(root, '.mlfolio', 'data', 'teams', 'dataset.json');
    const before = JSON.parse(await readFile(datasetFile, 'utf8'));
    expect(await main(['scrape', file, '--offline'])).toBe(0);
    expect(output[0]).toMatch(/^teams: fetched 0,/);
    expect(server.log.length).toBe(requests);
    const after = JSON.parse(await readFile(datasetFile, 'utf8'));
    expect(after.provenance.sha256).toBe(before.provenance.sha256);
  });

  it('fails with "layout changed", exit 3 and no dataset, when the table id is unknown', async () => {
    const file = await sourceFile('old-ids', ['/leagues/2021.html'], ['team-stats-base']);
    expect(await main(['scrape', file])).toBe(3);
    expect(errors.join('\n')).toContain('E_LAYOUT_CHANGED');
    expect(errors.join('\n')).toContain('table#team-stats-base');
  });

  it('rejects a source file with a misspelt field, naming it', async () => {
    const file = join(root, 'typo.yaml');
    await writeFile(
      file,
      `kind: html-stats-table\nurl: ${server.url('/x')}\ntable: { ids: [a], columns: {} }\n`,
    );
    expect(await main(['scrape', file])).toBe(3);
    expect(errors.join('\n')).toContain('E_SOURCE_FILE_INVALID');
    expect(errors.join('\n')).toContain('urls');
  });

  it('names an unknown target and suggests the built-in sources', async () => {
    expect(await main(['scrape', 'international-result'])).toBe(2);
    expect(errors.join('\n')).toContain('Did you mean "international-results"?');
  });
});

describe('mlfolio inspect and extract', () => {
  it('inspects a live page through the fetcher and lists hidden tables', async () => {
    expect(await main(['inspect', server.url('/leagues/2019.html'), '--json'])).toBe(0);
    const listing = JSON.parse(output.join('\n'));
    expect(
      listing.tables.map((table: { key: string; hidden?: string }) => [table.key, table.hidden ?? 'visible']),
    ).toEqual([
      ['standings', 'visible'],
      ['team-stats-base', 'comment'],
    ]);
  });

  it('extracts a hidden table from a file as CSV', async () => {
    const file = join(import.meta.dirname, 'fixtures', 'league-2019-team-stats.html');
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    expect(await main(['extract', file, '--table', 'team-stats-base'])).toBe(0);
    expect(written.join('').split('\n').slice(0, 3)).toEqual([
      'Rk,Team,Team_id,G,FG,FGA,FG%,FT,FT%',
      '1,Northport Tides*,NRT,82,"3,511","7,402",.474,"1,530",78.4%',
      '2,Elm City Owls,ELM,82,"3,380","7,455",.453,,75.0%',
    ]);
  });

  it.each([
    ['CSV', []],
    ['JSON', ['--format', 'json']],
    ['CSV with --footer', ['--footer']],
  ])('refuses a table with no rows as no data, exit 3, printing nothing (%s)', async (_case, extra) => {
    const file = join(import.meta.dirname, 'fixtures', 'match-cancelled.html');
    const written = captureStdout();
    expect(await main(['extract', file, '--table', 'stats_0a1b2c3d_summary', ...extra])).toBe(3);
    expect(written.join('')).toBe('');
    const message = errors.join('\n');
    expect(message).toMatch(
      /E_NO_DATA: table#stats_0a1b2c3d_summary in file:\/\/\S*match-cancelled\.html has no data rows/,
    );
    expect(message).toContain('its footer says "0 Players"');
  });

  it('names the URL of a fetched page whose table has no rows', async () => {
    const url = server.url('/matches/cancelled.html');
    expect(
      await main(['extract', url, '--table', 'stats_0a1b2c3d_summary', '--contact', 't@example.test']),
    ).toBe(3);
    expect(errors.join('\n')).toContain(
      `E_NO_DATA: GET ${url}: table#stats_0a1b2c3d_summary has no data rows`,
    );
  });

  it('marks footer rows with --footer, so a total never passes as data', async () => {
    const file = join(import.meta.dirname, 'fixtures', 'league-2019-team-stats.html');
    const written = captureStdout();
    expect(await main(['extract', file, '--table', 'team-stats-base', '--footer'])).toBe(0);
    const lines = written.join('').trimEnd().split('\n');
    expect(lines[0]).toBe('Rk,Team,Team_id,G,FG,FGA,FG%,FT,FT%,footer');
    expect(lines.slice(1).map((line) => line.split(',').at(-1))).toEqual(['false', 'false', 'false', 'true']);
    expect(lines.at(-1)).toMatch(/^,League Average,/);
  });

  it('rejects an unknown --format with a suggestion', async () => {
    const file = join(import.meta.dirname, 'fixtures', 'league-2019-team-stats.html');
    expect(await main(['extract', file, '--table', 'standings', '--format', 'jsn'])).toBe(2);
    expect(errors.join('\n')).toContain('Did you mean "json"?');
  });
});

describe('the snapshot store as a fixture format', () => {
  const store = join(import.meta.dirname, 'fixtures', 'snapshots');

  it('replays a scrape offline from a committed store, without any network', async () => {
    const file = join(root, 'replay.yaml');
    await writeFile(
      file,
      [
        'kind: html-stats-table',
        'urls:',
        ...['/leagues/2019.html', '/leagues/2021.html', '/matches/cancelled.html'].map(
          (path) => `  - ${fixtureSite}${path}`,
        ),
        'table:',
        '  ids: [totals-team, team-stats-base]',
        '  columns: { team: Team, fieldGoals: { from: FG, type: integer } }',
      ].join('\n'),
    );
    expect(await main(['scrape', file, '--offline', '--store', store])).toBe(0);
    expect(output[0]).toMatch(/^replay: fetched 0, from cache 3, retried 0, blocked 0, failed 0 — 0 request/);
    expect(output[1]).toMatch(/^replay: 6 records, 3 left out/);
  });

  it('inspects a stored page offline by its URL', async () => {
    expect(await main(['inspect', `${fixtureSite}/leagues/2021.html`, '--offline', '--store', store])).toBe(
      0,
    );
    expect(output[0]).toContain('2 table(s); decoded as utf-8 (content-type) from store');
  });

  it('names an offline miss and what to do', async () => {
    expect(await main(['inspect', `${fixtureSite}/nowhere.html`, '--offline', '--store', store])).toBe(3);
    expect(errors.join('\n')).toContain('E_OFFLINE_MISS');
    expect(errors.join('\n')).toContain('Run once without --offline');
  });
});

describe('mlfolio scrape <project>', () => {
  it("collects a live project's OpenFootball seasons through the polite fetcher", async () => {
    server.route(
      '/2024-25/en.1.json',
      ok(
        JSON.stringify({
          name: 'Example League',
          matches: [{ date: '2024-08-16', team1: 'Northport', team2: 'Elm City', score: { ft: [2, 2] } }],
        }),
        { 'content-type': 'application/json' },
      ),
    );
    // The football example's version 1 file (upgraded on load), its source made live.
    const example = readFileSync(v1ProjectFile, 'utf8');
    const live = example.replace(
      /source:\n( {2}.*\n)+/,
      `source:\n  kind: openfootball\n  transport: live\n  seasons: ['2024-25']\n  leagues: [en.1]\n  baseUrl: ${server.origin}\n`,
    );
    await mkdir(join(root, 'content', 'projects', 'live-example'), { recursive: true });
    await writeFile(join(root, 'content', 'projects', 'live-example', 'project.yaml'), live);
    expect(await main(['scrape', 'live-example'])).toBe(0);
    expect(output[0]).toMatch(/^live-example: fetched 1, from cache 0/);
    const dataset = JSON.parse(
      await readFile(join(root, '.mlfolio', 'data', 'live-example', 'dataset.json'), 'utf8'),
    );
    expect(dataset.records).toEqual([
      expect.objectContaining({ homeTeam: 'Northport', homeGoals: 2, awayGoals: 2 }),
    ]);
  });
  it('fetches nothing for a project whose sources are all offline, and collects its tables', async () => {
    await mkdir(join(root, 'content', 'projects', 'offline-example'), { recursive: true });
    await writeFile(
      join(root, 'content', 'projects', 'offline-example', 'project.yaml'),
      readFileSync(v1ProjectFile, 'utf8'),
    );
    expect(await main(['scrape', 'offline-example'])).toBe(0);
    expect(output.join('\n')).toMatch(
      /transport "offline" reads the bundled dataset, no requests made — \d+ rows/,
    );
  });

  it('names the tables of a project whose sources `scrape` does not crawl, and the command that collects them', async () => {
    // A table read from a CSV file is collected by `collect` or `run`, not crawled.
    await mkdir(join(root, 'content', 'projects', 'csv-example'), { recursive: true });
    await writeFile(
      join(root, 'content', 'projects', 'csv-example', 'project.yaml'),
      readFileSync(
        join(import.meta.dirname, '..', '..', 'content', 'projects', 'mlb-team-wins', 'project.yaml'),
        'utf8',
      ),
    );
    expect(await main(['scrape', 'csv-example'])).toBe(2);
    expect(errors.join('\n')).toContain('E_UNKNOWN_SOURCE');
    expect(errors.join('\n')).toMatch(
      /has no source that `mlfolio scrape` crawls: its tables read \w+ \(csv\)/,
    );
    expect(errors.join('\n')).toContain('mlfolio collect csv-example');
  });
});

describe('mlfolio scrape <stats-table project>', () => {
  it("collects one page per season with the source file beside project.yaml, into the project's data folder", async () => {
    vi.stubEnv('MLFOLIO_TODAY', '2026-11-22');
    expect(await main(['new', 'team-games', '--template', 'stats-table'])).toBe(0);
    const dir = join(root, 'content', 'projects', 'team-games');
    // The scaffold points at basketball-reference; aim it at the local pages and their columns.
    await writeFile(
      join(dir, 'source.yaml'),
      [
        'name: some-other-name',
        'kind: html-stats-table',
        'fetch: { requestsPerMinute: 0 }',
        'pages:',
        `  url: ${server.url('/leagues/{season}.html')}`,
        '  seasons: [2019, 2021]',
        'table:',
        '  ids: [totals-team, team-stats-base]',
        '  columns:',
        '    team: Team',
        '    games: { from: G, type: integer }',
      ].join('\n'),
    );
    output = [];
    expect(await main(['scrape', 'team-games'])).toBe(0);
    expect(output[0]).toMatch(/^team-games: .*failed 0/);
    const dataset = JSON.parse(
      await readFile(join(root, '.mlfolio', 'data', 'team-games', 'dataset.json'), 'utf8'),
    );
    expect(dataset.records).toHaveLength(6);
    expect(dataset.records[0]).toMatchObject({ team: 'Northport Tides*', games: 82, season: '2019' });
    expect(dataset.records.at(-1)).toMatchObject({ season: '2021' });

    // A table id that no page has is refused, naming the season, the file and the field to fix.
    const text = await readFile(join(dir, 'source.yaml'), 'utf8');
    await writeFile(
      join(dir, 'source.yaml'),
      text.replace('[totals-team, team-stats-base]', '[team-totals]'),
    );
    errors.length = 0;
    expect(await main(['scrape', 'team-games'])).toBe(3);
    const printed = errors.join('\n');
    expect(printed).toContain('E_LAYOUT_CHANGED');
    expect(printed).toMatch(
      /season 2019 \(.*source\.yaml, pages\.seasons\): .*no table matches table#team-totals/,
    );
    expect(printed).toContain('Fix table.ids or table.columns in');
  });
});

describe('mlfolio scrape when a host asks us to go away', () => {
  it('exits 4 without a dataset when Retry-After exceeds the cap, then resumes once the host is back', async () => {
    let banned = true;
    const page = fixture('league-2021-team-stats.html');
    for (const path of ['/ban/1.html', '/ban/2.html']) {
      server.route(path, (_request, response) => {
        if (banned) response.writeHead(429, { 'retry-after': '3600' }).end();
        else response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      });
    }
    const file = await sourceFile('banned', ['/ban/1.html', '/ban/2.html']);
    expect(await main(['scrape', file])).toBe(4);
    expect(output[0]).toMatch(/^banned: fetched 0, from cache 0, retried 0, blocked 0, failed 2/);
    const printed = errors.join('\n');
    expect(printed).toContain('E_HOST_COOLING_DOWN');
    expect(printed).toContain('cool-down cap of 15 min');
    expect(printed).toContain('E_SCRAPE_INCOMPLETE');
    expect(printed).toContain('Run the same command later');
    // Two requests were already in flight together (no rate limit on loopback); neither is retried.
    expect(server.hits('/ban/1.html') + server.hits('/ban/2.html')).toBe(2);

    banned = false;
    output = [];
    expect(await main(['scrape', file])).toBe(0);
    expect(output[0]).toMatch(/^banned: fetched 2, from cache 0/);
  });
});
