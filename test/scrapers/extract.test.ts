import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCellValue } from '../../scrapers/extract/cell-value.ts';
import { decodeBody } from '../../scrapers/extract/decode.ts';
import { findTables, selectTable } from '../../scrapers/extract/find-tables.ts';
import { inspectTables } from '../../scrapers/extract/inspect-tables.ts';
import { linkId } from '../../scrapers/extract/link-id.ts';
import { parseTable } from '../../scrapers/extract/parse-table.ts';
import { requireRows } from '../../scrapers/extract/require-rows.ts';
import { extractMatchScore } from '../../scrapers/extract/scorebox.ts';
import { tableRecords } from '../../scrapers/extract/table-records.ts';
import { extractTable, type TableSpecInput, tableSpecSchema } from '../../scrapers/extract/table-spec.ts';
import { ScrapeError } from '../../scrapers/scrape-error.ts';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
const v2019 = fixture('league-2019-team-stats.html');
const v2021 = fixture('league-2021-team-stats.html');
const url = 'https://stats.example/leagues/2021.html';

function thrown(run: () => unknown): ScrapeError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScrapeError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('decodeBody', () => {
  const text = '<p>Dončić – café</p>';
  it('follows a UTF-8 byte-order mark over everything else', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    expect(decodeBody(body, 'text/html; charset=windows-1252')).toMatchObject({ text, source: 'bom' });
  });

  it('follows the Content-Type charset', () => {
    const latin = Buffer.from('<p>café</p>', 'latin1');
    expect(decodeBody(latin, 'text/html; charset=ISO-8859-1')).toMatchObject({
      text: '<p>café</p>',
      source: 'content-type',
      encoding: 'windows-1252',
    });
  });

  it('follows <meta charset> when the transport says nothing', () => {
    const body = Buffer.concat([
      Buffer.from('<meta charset="windows-1252"><p>'),
      Buffer.from('Müller', 'latin1'),
      Buffer.from('</p>'),
    ]);
    expect(decodeBody(body)).toMatchObject({
      text: '<meta charset="windows-1252"><p>Müller</p>',
      source: 'meta',
    });
  });

  it('recognises undeclared UTF-8, and falls back to windows-1252 for undeclared legacy bytes', () => {
    expect(decodeBody(Buffer.from(text))).toMatchObject({ text, source: 'sniffed', encoding: 'utf-8' });
    expect(decodeBody(Buffer.from('<p>café</p>', 'latin1'))).toMatchObject({
      text: '<p>café</p>',
      source: 'default',
    });
  });

  it('overrides a declared single-byte charset when the bytes are plainly UTF-8', () => {
    const decoded = decodeBody(Buffer.from(text), 'text/html; charset=iso-8859-1');
    expect(decoded.text).toBe(text);
    expect(decoded.warnings).toHaveLength(1);
  });

  it('keeps a U+FFFD that is really in the source text', () => {
    expect(decodeBody(Buffer.from('F\uFFFDtbol')).text).toBe('F\uFFFDtbol');
  });
});

describe('parseCellValue', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['82', 82],
    ['3,511', 3511],
    ['-9.5', -9.5],
    ['\u22123', -3],
    ['.474', 0.474],
    ['78.4%', 0.784],
    ['10.1%', 0.101],
    ['$8,100,000', 8100000],
    ['1-2', '1-2'],
    ['12,34', '12,34'],
    ['Northport Tides', 'Northport Tides'],
  ])('reads %j as %j', (text, value) => {
    expect(parseCellValue(text)).toBe(value);
  });
});

describe('linkId', () => {
  it.each([
    ['/players/j/jokicni01.html', undefined, 'jokicni01'],
    ['/teams/DET/2021.html', undefined, 'DET'],
    ['/en/squads/d53c0b06/2019-2020/Lyon-Stats', undefined, 'd53c0b06'],
    ['leaders.aspx?pos=all&season=2019&team=21&rost=0', undefined, '21'],
    ['/draft/?team_ID=BAL&year_ID=2019', undefined, 'BAL'],
    ['/players/r/rutscad01.shtml', 'rutscad01', 'rutscad01'],
    ['/', undefined, undefined],
  ])('takes the id of %s', (href, appendCsv, id) => {
    expect(linkId(href, appendCsv)).toBe(id);
  });
});

describe('findTables and parseTable', () => {
  it('finds tables inside HTML comments, in document order, with captions and headings', () => {
    const tables = findTables(v2019);
    expect(tables.map((table) => [table.key, table.hidden, table.caption])).toEqual([
      ['standings', undefined, 'Standings'],
      ['team-stats-base', 'comment', 'Team Stats Table'],
    ]);
  });

  it('reads multi-row headers, skips repeated header rows, keeps the footer apart', () => {
    const table = selectTable(findTables(v2019), 'team-stats-base')!;
    const parsed = parseTable(table.$, table.element, url);
    expect(parsed.columns.map((column) => column.name)).toEqual([
      'Rk',
      'Team',
      'G',
      'FG',
      'FGA',
      'FG%',
      'FT',
      'FT%',
    ]);
    expect(parsed.columns[3]).toEqual({ name: 'FG', group: 'Field Goals', key: 'fg' });
    expect(parsed.columns[6]?.group).toBe('Free Throws');
    expect(parsed.rows.map((row) => row[0]?.text)).toEqual(['1', '2', '3']);
    expect(parsed.skipped).toEqual([{ row: 5, reason: 'repeated header row' }]);
    expect(parsed.footer.map((row) => row[1]?.text)).toEqual(['League Average']);
  });

  it('keeps link ids, turns non-breaking spaces into spaces, and leaves blank cells blank', () => {
    const table = selectTable(findTables(v2019), 'team-stats-base')!;
    const [, elm] = parseTable(table.$, table.element, url).rows;
    expect(elm?.[1]).toEqual({
      text: 'Elm City Owls',
      href: 'https://stats.example/teams/ELM/2019.html',
      id: 'ELM',
    });
    expect(elm?.[6]).toEqual({ text: '' });
  });

  it('selects a table by id, by #position and by bare position', () => {
    const tables = findTables(v2019);
    expect(selectTable(tables, '#2')?.id).toBe('team-stats-base');
    expect(selectTable(tables, '1')?.id).toBe('standings');
    expect(selectTable(tables, 'nope')).toBeUndefined();
  });

  it('expands rowspan and colspan into a grid', () => {
    const html = `<table id="t"><tr><th>A</th><th>B</th><th>C</th></tr>
      <tr><td rowspan="2">x</td><td colspan="2">wide</td></tr><tr><td>1</td><td>2</td></tr></table>`;
    const table = findTables(html)[0]!;
    const parsed = parseTable(table.$, table.element);
    expect(parsed.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ['x', 'wide', ''],
      ['x', '1', '2'],
    ]);
  });

  it('summarises every table with its row count, columns and their types', () => {
    const [standings, stats] = inspectTables(v2019, url);
    expect(standings).toMatchObject({ key: 'standings', rows: 2, hidden: undefined });
    expect(stats).toMatchObject({ key: 'team-stats-base', rows: 3, footerRows: 1, hidden: 'comment' });
    expect(
      stats?.columns.map((column) => `${column.name}:${column.type}${column.links ? '+id' : ''}`),
    ).toEqual([
      'Rk:integer',
      'Team:text+id',
      'G:integer',
      'FG:integer',
      'FGA:integer',
      'FG%:number',
      'FT:integer',
      'FT%:number',
    ]);
  });

  it('turns a table into CSV-ready text rows and typed JSON rows with id columns', () => {
    const table = selectTable(findTables(v2019), 'team-stats-base')!;
    const parsed = parseTable(table.$, table.element, url);
    const text = tableRecords(parsed, { typed: false });
    expect(text.header).toEqual(['Rk', 'Team', 'Team_id', 'G', 'FG', 'FGA', 'FG%', 'FT', 'FT%']);
    expect(text.rows[0]).toMatchObject({ Team: 'Northport Tides*', FG: '3,511', 'FT%': '78.4%' });
    const typed = tableRecords(parsed, { typed: true });
    expect(typed.rows[1]).toMatchObject({ Team_id: 'ELM', FG: 3380, FT: null, 'FT%': 0.75 });
  });

  it('marks footer rows apart from data rows, in a column whose name the table does not use', () => {
    const table = selectTable(findTables(v2019), 'team-stats-base')!;
    const parsed = parseTable(table.$, table.element, url);
    const typed = tableRecords(parsed, { typed: true, footer: true });
    expect(typed.header.at(-1)).toBe('footer');
    expect(typed.rows.map((row) => [row.Team, row.footer])).toEqual([
      ['Northport Tides*', false],
      ['Elm City Owls', false],
      ['Kraków Comets', false],
      ['League Average', true],
    ]);
    const clash = v2019.replace(/>Team</g, '>footer<');
    const clashTable = selectTable(findTables(clash), 'team-stats-base')!;
    const clashing = tableRecords(parseTable(clashTable.$, clashTable.element, url), {
      typed: false,
      footer: true,
    });
    expect(clashing.header.slice(1, 3)).toEqual(['footer', 'footer_id']);
    expect(clashing.header.at(-1)).toBe('_footer');
    expect(clashing.rows.at(-1)).toMatchObject({ footer: 'League Average', _footer: 'true' });
  });
});

describe('requireRows', () => {
  it('refuses a table with only a footer as no data, naming the table, the page and the footer', () => {
    const html = fixture('match-cancelled.html');
    const table = selectTable(findTables(html), 'stats_0a1b2c3d_summary')!;
    const parsed = parseTable(table.$, table.element, url);
    const error = thrown(() =>
      requireRows(parsed, table.key, 'https://stats.example/matches/cancelled.html'),
    );
    expect(error).toMatchObject({ kind: 'no-data', code: 'E_NO_DATA', exitCode: 3 });
    expect(error.url).toBe('https://stats.example/matches/cancelled.html');
    expect(error.message).toBe(
      'GET https://stats.example/matches/cancelled.html: table#stats_0a1b2c3d_summary has no data rows (its footer says "0 Players"), so there is nothing to extract.',
    );
  });

  it('accepts a table with data rows', () => {
    const table = selectTable(findTables(v2019), 'team-stats-base')!;
    expect(() => requireRows(parseTable(table.$, table.element, url), table.key, url)).not.toThrow();
  });
});

describe('layout drift', () => {
  const columns: TableSpecInput['columns'] = {
    team: 'Team',
    teamId: { from: 'Team', take: 'link-id' },
    games: { from: 'g', type: 'integer' },
    fieldGoals: { from: ['FG', 'FGM'], type: 'integer' },
    freeThrows: { from: 'FT', type: 'integer' },
    freeThrowPct: { from: 'FT%', type: 'number' },
  };
  const oldSpec = tableSpecSchema.parse({ ids: ['team-stats-base'], columns });
  const bothSpec = tableSpecSchema.parse({ ids: ['totals-team', 'team-stats-base'], columns });

  it('fails loudly when the table id was renamed, naming the URL, the selector and the ids found', () => {
    const error = thrown(() => extractTable(v2021, url, oldSpec));
    expect(error).toMatchObject({ kind: 'layout-changed', code: 'E_LAYOUT_CHANGED', url });
    expect(error.message).toContain('table#team-stats-base');
    expect(error.message).toContain('standings, totals-team');
  });

  it('reads both layouts to the same records once the new id is listed', () => {
    const before = extractTable(v2019, url, bothSpec);
    const after = extractTable(v2021, url, bothSpec);
    expect(before.tableId).toBe('team-stats-base');
    expect(before.hidden).toBe(true);
    expect(after.tableId).toBe('totals-team');
    expect(after.hidden).toBe(false);
    expect(after.records).toEqual(before.records);
    expect(after.records[0]).toEqual({
      team: 'Northport Tides*',
      teamId: 'NRT',
      games: 82,
      fieldGoals: 3511,
      freeThrows: 1530,
      freeThrowPct: 0.784,
    });
  });

  it('excludes a row whose cell does not fit its type, with the reason', () => {
    const { records, excluded } = extractTable(v2021, url, bothSpec);
    expect(records).toHaveLength(2);
    expect(excluded).toHaveLength(1);
    expect(excluded[0]?.location).toBe(`${url} table#totals-team row 2`);
    expect(excluded[0]?.reason).toContain('freeThrows');
  });

  it('names expected and found columns when a column disappears', () => {
    const renamed = v2021.replaceAll('>FT%<', '>FTPct<').replaceAll('data-stat="ft_pct"', 'data-stat="ftp"');
    const error = thrown(() => extractTable(renamed, url, bothSpec));
    expect(error.kind).toBe('layout-changed');
    expect(error.message).toContain('freeThrowPct ("FT%")');
    expect(error.message).toContain('Found: Rk [ranker], Team [team_name]');
  });

  it('treats a table with no rows as a layout change, never as an empty result', () => {
    const emptied = v2021.replace(/<tbody>[\s\S]*?<\/tbody>/g, '<tbody></tbody>');
    const error = thrown(() => extractTable(emptied, url, bothSpec));
    expect(error.kind).toBe('layout-changed');
    expect(error.message).toContain('0 data row(s)');
  });

  it('rejects a table spec with a misspelt key', () => {
    expect(tableSpecSchema.safeParse({ ids: ['x'], colums: {} }).success).toBe(false);
  });
});

describe('no data', () => {
  it('reports a cancelled match as no data, never 0–0', () => {
    const error = thrown(() => extractMatchScore(fixture('match-cancelled.html'), url));
    expect(error).toMatchObject({ kind: 'no-data', code: 'E_NO_DATA' });
    expect(error.message).toContain('Cancelled');
  });

  it('reads the score of a played match with team ids', () => {
    expect(extractMatchScore(fixture('match-played.html'), url)).toEqual({
      home: { name: 'Northport', id: '0a1b2c3d', score: 2 },
      away: { name: 'Elm City', id: '9f8e7d6c', score: 1 },
      date: '2020-03-13',
    });
  });
});
