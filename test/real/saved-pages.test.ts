import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parseCellValue } from '../../scrapers/extract/cell-value.ts';
import { decodeBody } from '../../scrapers/extract/decode.ts';
import { findTables, selectTable } from '../../scrapers/extract/find-tables.ts';
import { inspectTables } from '../../scrapers/extract/inspect-tables.ts';
import { parseTable } from '../../scrapers/extract/parse-table.ts';
import { extractMatchScore } from '../../scrapers/extract/scorebox.ts';
import { tableRecords } from '../../scrapers/extract/table-records.ts';
import { extractTable, tableSpecSchema } from '../../scrapers/extract/table-spec.ts';

// The saved pages are third-party content that may not be redistributed, so they live outside
// the repository (see ../shared/data/README.md) and this suite only runs where they exist.
// MLFOLIO_SHARED_DATA overrides the location (e.g. from a git worktree that sits elsewhere).
const repoRoot = join(import.meta.dirname, '..', '..');
const dataDir = process.env.MLFOLIO_SHARED_DATA ?? join(repoRoot, '..', 'shared', 'data');
const present = existsSync(join(dataDir, 'html'));
if (!present) console.warn(`test:real skipped: ${dataDir}/html is absent (see the README, "Scrapers").`);

const page = (name: string) => decodeBody(readFileSync(join(dataDir, 'html', name)));
const golden = (name: string) =>
  parse(readFileSync(join(dataDir, 'csv', name), 'utf8'), { columns: true, bom: true }) as Record<
    string,
    string
  >[];
const idsOf = (name: string, hidden?: 'comment') =>
  inspectTables(page(name).text)
    .filter((table) => table.id && (hidden === undefined || table.hidden === hidden))
    .map((table) => table.id);

function rowsOf(name: string, key: string) {
  const table = selectTable(findTables(page(name).text), key)!;
  return tableRecords(parseTable(table.$, table.element, 'https://example.test/'), { typed: false }).rows;
}

/** Equal as numbers when both are numbers (".254" vs "0.254", "113" vs "113.0"), else as text. */
function sameValue(ours: string | number | null | undefined, theirs: string): boolean {
  const a = parseCellValue(String(ours ?? ''));
  const b = parseCellValue(theirs);
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) < 1e-9;
  return (a ?? '') === (b ?? '');
}

describe.skipIf(!present)('inspect lists the tables a person sees, hidden ones included', () => {
  it.each([
    [
      'bbref_NBA_2017_season_summary.html',
      15,
      11,
      ['team-stats-base', 'opponent-stats-base', 'misc_stats', 'team_shooting'],
    ],
    [
      'bbref_NBA_2021_season_summary.html',
      15,
      2,
      ['totals-team', 'totals-opponent', 'advanced-team', 'shooting-team', 'per_game-team'],
    ],
    [
      'bbref_boxscore_202002220UTA.html',
      18,
      2,
      ['line_score', 'four_factors', 'box-HOU-game-basic', 'box-UTA-game-advanced'],
    ],
    ['pfref_boxscore_202009100kan.html', 20, 18, ['scoring', 'player_offense', 'pbp', 'home_snap_counts']],
    ['fbref_ligue1_2020-21_keeper_stats.html', 3, 1, ['stats_keeper']],
    ['baseballref_2019_draft_round1.html', 1, 0, ['draft_stats']],
    ['fangraphs_2019_team_batting.html', 1, 0, ['LeaderBoard1_dg1_ctl00']],
  ])('%s: %i tables with ids, %i hidden in comments', (name, total, hidden, some) => {
    const ids = idsOf(name);
    expect(ids).toHaveLength(total);
    expect(idsOf(name, 'comment')).toHaveLength(hidden);
    expect(ids).toEqual(expect.arrayContaining(some));
  });

  it('sees the hidden keeper table with its 21-row-plus caption and columns', () => {
    const keeper = inspectTables(page('fbref_ligue1_2020-21_keeper_stats.html').text).find(
      (t) => t.id === 'stats_keeper',
    )!;
    expect(keeper).toMatchObject({
      hidden: 'comment',
      caption: 'Player Goalkeeping 2020-2021 Ligue 1 Table',
    });
    expect(keeper.rows).toBeGreaterThan(30);
    expect(keeper.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['Player', 'Squad', 'GA', 'Save%']),
    );
  });
});

describe.skipIf(!present)('extract reproduces the rows', () => {
  it('reproduces the 2019 draft golden file (41 picks)', () => {
    const expected = golden('baseballref_2019_draft_round1.expected.csv');
    const rows = rowsOf('baseballref_2019_draft_round1.html', 'draft_stats');
    expect(rows).toHaveLength(expected.length);
    const columns = Object.keys(expected[0]!).filter((column) => column !== '' && column !== 'Name');
    expected.forEach((want, i) => {
      const got = rows[i]!;
      for (const column of columns) {
        if (!sameValue(got[column], want[column]!)) {
          throw new Error(`row ${i + 1} ${column}: expected "${want[column]}", got "${got[column]}"`);
        }
      }
      // pybaseball drops the "(minors)" link text after the name.
      expect(String(got.Name).startsWith(want.Name!.trim())).toBe(true);
    });
    expect(rows[0]).toMatchObject({ Bonus: '$8,100,000', Name_id: 'rutscad01' });
  });

  it('reproduces the FanGraphs 2019 team batting golden file (30 teams, ids from links)', () => {
    const expected = golden('fangraphs_2019_team_batting.expected.csv');
    const decoded = page('fangraphs_2019_team_batting.html');
    expect(decoded.source).not.toBe('meta');
    const rows = rowsOf('fangraphs_2019_team_batting.html', 'LeaderBoard1_dg1_ctl00');
    expect(rows).toHaveLength(30);
    expected.forEach((want, i) => {
      const got: Record<string, string | number | null | undefined> = {
        ...rows[i]!,
        teamIDfg: rows[i]!.Team_id,
      };
      for (const column of Object.keys(want).filter((c) => c !== '')) {
        if (!sameValue(got[column], want[column]!)) {
          throw new Error(`row ${i + 1} ${column}: expected "${want[column]}", got "${got[column]}"`);
        }
      }
    });
  });

  it('reads the Detroit Pistons 2020-21 totals from the renamed table', () => {
    const spec = tableSpecSchema.parse({
      ids: ['totals-team', 'team-stats-base'],
      columns: Object.fromEntries(
        ['Rk', 'G', 'MP', 'FG', 'FGA', '3P', '3PA', 'FT', 'FTA', 'ORB', 'DRB', 'TRB', 'AST'].map((c) => [
          c.replace('3', 'three'),
          { from: c, type: 'integer' },
        ]),
      ),
    });
    const withTeam = { ...spec, columns: { ...spec.columns, team: 'Team' } };
    const { records } = extractTable(
      page('bbref_NBA_2021_season_summary.html').text,
      'https://example.test/',
      withTeam,
    );
    expect(records.find((record) => record.team === 'Detroit Pistons')).toEqual({
      team: 'Detroit Pistons',
      Rk: 27,
      G: 72,
      MP: 17430,
      FG: 2783,
      FGA: 6162,
      threeP: 832,
      threePA: 2370,
      FT: 1278,
      FTA: 1683,
      ORB: 694,
      DRB: 2381,
      TRB: 3075,
      AST: 1743,
    });
  });

  it('reads the same team totals from the 2017 and 2021 layouts (the drift pair)', () => {
    const spec = tableSpecSchema.parse({
      ids: ['totals-team', 'team-stats-base'],
      columns: {
        team: 'Team',
        teamId: { from: 'Team', take: 'link-id' },
        points: { from: 'PTS', type: 'integer' },
      },
    });
    const before = extractTable(
      page('bbref_NBA_2017_season_summary.html').text,
      'https://example.test/',
      spec,
    );
    const after = extractTable(
      page('bbref_NBA_2021_season_summary.html').text,
      'https://example.test/',
      spec,
    );
    expect([before.tableId, before.hidden, before.records.length]).toEqual(['team-stats-base', true, 30]);
    expect([after.tableId, after.hidden, after.records.length]).toEqual(['totals-team', false, 30]);
    expect(Object.keys(before.records[0]!)).toEqual(Object.keys(after.records[0]!));
  });

  it('keeps diacritics and a U+FFFD already in the source text', () => {
    const players = page('bbref_NBA_2021_season_summary.html').text;
    expect(players).toContain('Jokić');
    expect(page('pfref_boxscore_202009100kan.html').text).toContain('F\uFFFDtbol');
  });

  it('reports the cancelled Lyon–Reims match as no data, never 0–0', () => {
    const html = page('fbref_match_1d845950_cancelled_lyon_reims_2020-03-13.html').text;
    expect(() => extractMatchScore(html, 'https://fbref.com/en/matches/1d845950')).toThrow(
      /no result.*Cancelled/,
    );
  });
});

describe.skipIf(!present)("the stats-table template's example source reads the real pages", () => {
  it('extracts 30 teams, keyed by link id, from the 2017 and the 2021 layout', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { workspaceAt } = await import('../../portfolio/workspace.ts');
    const { scaffoldProject } = await import('../../templates/scaffold-project.ts');
    const { loadSourceFile } = await import('../../scrapers/source-file.ts');
    const root = await mkdtemp(join(tmpdir(), 'mlfolio-real-'));
    try {
      const scaffold = await scaffoldProject(workspaceAt(root), 'nba-team-wins', 'stats-table', new Date());
      const source = await loadSourceFile(join(scaffold.dir, 'source.yaml'));
      if (source.kind !== 'html-stats-table') throw new Error('not an html-stats-table source');
      for (const [name, tableId] of [
        ['bbref_NBA_2017_season_summary.html', 'misc_stats'],
        ['bbref_NBA_2021_season_summary.html', 'advanced-team'],
      ] as const) {
        const result = extractTable(page(name).text, 'https://www.basketball-reference.com/', source.table);
        expect(result.tableId).toBe(tableId);
        expect(result.records).toHaveLength(30);
        expect(result.footer.map((row) => row.text)).toEqual([expect.stringMatching(/^League Average/)]);
        expect(new Set(result.records.map((record) => record.team)).size).toBe(30);
        expect(result.records[0]).toEqual({
          team: expect.stringMatching(/^[A-Z]{3}$/),
          team_name: expect.any(String),
          wins: expect.any(Number),
          losses: expect.any(Number),
          scored: expect.any(Number),
          allowed: expect.any(Number),
        });
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
