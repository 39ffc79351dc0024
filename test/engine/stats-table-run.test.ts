import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLatestRun } from '../../pipelines/runs/run-record.ts';
import { mlfolio, repoRoot } from '../e2e/workspace.ts';
import type { FaultServer } from '../scrapers/fault-server.ts';
import { fixtureSeasons, pageFile } from './fixtures/stats-table/render-pages.ts';
import { pointSourceAtFixtures, serveFixturePages } from './stats-table-fixture.ts';

/**
 * The stats-table template end to end, as a builder in a sport mlfolio has no example pages for
 * would use it: scaffold, replace the placeholders, `mlfolio scrape` the season pages from a real
 * local HTTP server (polite fetcher, snapshot store), `mlfolio run`, publish. The pages are the
 * fixture pages written for this repository from the Baseball Databank.
 */
let server: FaultServer;
let root: string;
const slug = 'mlb-scraped-wins';
const projectDir = () => join(root, 'content', 'projects', slug);

beforeAll(async () => {
  server = await serveFixturePages();
  root = await mkdtemp(join(tmpdir(), 'mlfolio-stats-table-'));
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('the stats-table template', () => {
  it('refuses to scrape or run a scaffold for another sport until its placeholders are replaced, naming each', async () => {
    const scaffold = await mlfolio(root, ['new', slug, '--template', 'stats-table', '--sport', 'baseball']);
    expect(scaffold.code, scaffold.stderr).toBe(0);
    for (const command of ['scrape', 'run']) {
      const result = await mlfolio(root, [command, slug]);
      expect(result.code, `${command}: ${result.stderr}`).toBe(3);
      expect(result.stderr).toContain('E_SOURCE_PLACEHOLDERS');
      expect(result.stderr).toContain(join('projects', slug, 'source.yaml'));
      for (const field of [
        'pages.url',
        'table.ids[0]',
        'table.columns.team.from',
        'table.columns.wins.from',
      ]) {
        expect(result.stderr).toContain(`- ${field}: "`);
      }
    }
    expect(server.log).toEqual([]);
  });

  it('scrapes one page per season from a local server, leaving the league-average rows out with the reason', async () => {
    await pointSourceAtFixtures(projectDir(), server);
    const scrape = await mlfolio(root, ['scrape', slug]);
    expect(scrape.code, scrape.stderr).toBe(0);
    const seasons = fixtureSeasons.to - fixtureSeasons.from + 1;
    expect(scrape.stdout).toContain(`fetched ${seasons},`);
    expect(scrape.stdout).toContain(`${slug}: ${seasons * 30} records, ${seasons} left out`);
    expect(scrape.stdout).toContain('footer row 1: a footer row ("League Average');
    for (let season = fixtureSeasons.from; season <= fixtureSeasons.to; season++) {
      expect(server.hits(`/leagues/${pageFile(season)}`)).toBe(1);
    }
    const dataset = JSON.parse(
      await readFile(join(root, '.mlfolio', 'data', slug, 'dataset.json'), 'utf8'),
    ) as { records: Record<string, unknown>[] };
    // 2006's table is inside an HTML comment; the Expos (2004) and Nationals (2005) are one franchise.
    expect(dataset.records.filter((r) => r.season === '2006')).toHaveLength(30);
    expect(dataset.records.find((r) => r.season === '2004' && r.team === 'WSN')?.team_name).toBe(
      'Montreal Expos',
    );
    expect(dataset.records.find((r) => r.season === '2005' && r.team === 'WSN')?.team_name).toBe(
      'Washington Nationals',
    );

    // The pages are in the snapshot store: a rerun offline replays them without a request.
    const requests = server.log.length;
    const offline = await mlfolio(root, ['scrape', slug, '--offline']);
    expect(offline.code, offline.stderr).toBe(0);
    expect(server.log.length).toBe(requests);
  });

  it('runs: next season wins by team, baselines and candidates, split by season, a backtest sized to the seasons', async () => {
    const run = await mlfolio(root, ['run', slug]);
    expect(run.code, run.stderr).toBe(0);
    const record = await readLatestRun(join(projectDir(), 'runs'));
    expect(record?.schemaVersion).toBe(2);
    expect(record?.task.kind).toBe('regression');
    expect(record?.task.primaryMetric).toBe('crps');
    expect(record?.models.map((m) => m.id).sort()).toEqual(['boosting', 'last-season', 'mean', 'ridge']);
    // 20 pages: the last season has no next season, each team's first no history; 2 test seasons.
    expect(record?.split.test.seasons).toEqual(['2017', '2018']);
    expect(record?.backtest?.map((fold) => fold.testSeason)).toEqual([
      '2014',
      '2015',
      '2016',
      '2017',
      '2018',
    ]);
    for (const model of record!.models) {
      const crps = model.metrics.crps!;
      expect(crps.lower).toBeLessThanOrEqual(crps.value);
      expect(crps.upper).toBeGreaterThanOrEqual(crps.value);
    }
    expect(record?.featureStore?.skewCheck.mismatches).toBe(0);
    expect(record?.leakageGuard?.checkedValues).toBeGreaterThan(0);
  }, 300_000);

  it('publishes the project page', async () => {
    const publish = await mlfolio(root, ['publish']);
    expect(publish.code, publish.stderr).toBe(0);
    const dir = join(root, 'dist', 'projects', slug);
    expect((await readdir(dir)).sort()).toEqual(
      expect.arrayContaining(['index.html', 'model-card', 'walkthrough']),
    );
    const page = await readFile(join(dir, 'index.html'), 'utf8');
    expect(page).toContain('MLB scraped wins');
    expect(page).toMatch(/<svg/);
  }, 300_000);
});

describe('the stats-table template on bad input', () => {
  let badRoot: string;
  beforeAll(async () => {
    badRoot = await mkdtemp(join(tmpdir(), 'mlfolio-stats-table-bad-'));
    await mkdir(join(badRoot, 'content', 'projects'), { recursive: true });
    await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(badRoot, 'content', 'portfolio.yaml'));
  });
  afterAll(() => rm(badRoot, { recursive: true, force: true }));

  async function scaffoldAt(name: string, options: Parameters<typeof pointSourceAtFixtures>[2]) {
    const scaffold = await mlfolio(badRoot, [
      'new',
      name,
      '--template',
      'stats-table',
      '--sport',
      'baseball',
    ]);
    expect(scaffold.code, scaffold.stderr).toBe(0);
    await pointSourceAtFixtures(join(badRoot, 'content', 'projects', name), server, options);
  }

  it('names the season, the file, the field and the tables found when a page has no such table; the stored pages are kept', async () => {
    await scaffoldAt('no-such-table', { tableId: 'team_stats', seasons: { from: 2010, to: 2011 } });
    const scrape = await mlfolio(badRoot, ['scrape', 'no-such-table']);
    expect(scrape.code).toBe(3);
    expect(scrape.stderr).toContain('E_LAYOUT_CHANGED');
    expect(scrape.stderr).toMatch(/season 2010 \(.*no-such-table\/source\.yaml, pages\.seasons\)/);
    expect(scrape.stderr).toContain(
      'no table matches table#team_stats. The page has 2 table(s): league_leaders, team_standings',
    );
    expect(scrape.stderr).toContain('Fix table.ids or table.columns in');

    // Fixed, the scrape reads the pages it already stored: nothing is fetched again.
    await pointSourceAtFixtures(join(badRoot, 'content', 'projects', 'no-such-table'), server, {
      seasons: { from: 2010, to: 2011 },
    });
    const hits = server.hits('/leagues/MLB_2010.html');
    const again = await mlfolio(badRoot, ['scrape', 'no-such-table']);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('no-such-table: 60 records, 2 left out');
    expect(server.hits('/leagues/MLB_2010.html')).toBe(hits);
  });

  it('says which season has no rows and how to leave it out', async () => {
    await scaffoldAt('empty-season', { path: '/empty', seasons: { from: 2010, to: 2011 } });
    const scrape = await mlfolio(badRoot, ['scrape', 'empty-season']);
    expect(scrape.code).toBe(3);
    expect(scrape.stderr).toContain('E_SEASON_EMPTY');
    expect(scrape.stderr).toContain('table#team_standings has 0 data row(s); expected at least 20');
    expect(scrape.stderr).toMatch(
      /If season 2010 really has no rows .*leave it out of pages\.seasons in .*empty-season\/source\.yaml/,
    );
  });

  it('names a declared column the table lacks, with the columns it has', async () => {
    await scaffoldAt('missing-column', { scoredFrom: 'Runs', seasons: { from: 2010, to: 2011 } });
    const scrape = await mlfolio(badRoot, ['scrape', 'missing-column']);
    expect(scrape.code).toBe(3);
    expect(scrape.stderr).toContain('lacks expected column(s) scored ("Runs")');
    expect(scrape.stderr).toContain('Found: Rk [ranker], Tm [team_name]');
    expect(scrape.stderr).toMatch(/season 2010 \(.*missing-column\/source\.yaml/);
  });

  it('says how many seasons the split and backtest need when the pages are too few', async () => {
    await scaffoldAt('too-few-seasons', { seasons: { from: 2015, to: 2019 } });
    const scrape = await mlfolio(badRoot, ['scrape', 'too-few-seasons']);
    expect(scrape.code, scrape.stderr).toBe(0);
    const run = await mlfolio(badRoot, ['run', 'too-few-seasons']);
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('E_TOO_FEW_SEASONS');
    expect(run.stderr).toContain(
      '14 seasons with usable rows are needed, and the data has 3 (2016, 2017, 2018)',
    );
    expect(run.stderr).toContain('backtest.minTrainSeasons 13 needs 14 for one fold');
    expect(run.stderr).toMatch(
      /Collect 11 more season\(s\).*or lower those fields in .*too-few-seasons\/project\.yaml/,
    );
  }, 120_000);
});
