import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectTable } from '../../pipelines/collect/collect-table.ts';
import { parseCell } from '../../pipelines/collect/typed-rows.ts';
import { type TableSpec, tableSpecSchema } from '../../portfolio/project-file/data-spec.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { tableSourceSpecs } from '../../scrapers/table-source-specs.ts';
import { tableSourceKinds } from '../../scrapers/table-sources.ts';

const roots: string[] = [];
afterEach(async () => {
  for (const root of roots.splice(0)) await rm(root, { recursive: true, force: true });
});

async function portfolioWith(csv: string) {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-collect-'));
  roots.push(root);
  await writeFile(join(root, 'teams.csv'), csv);
  return workspaceAt(root);
}

const spec = (extra: object) =>
  tableSpecSchema.parse({
    source: { kind: 'csv', file: 'teams.csv', licence: 'CC0', attribution: 'test' },
    columns: { year: 'integer', league: 'string', W: 'integer', G: 'integer' },
    time: { column: 'year', kind: 'season' },
    ...extra,
  });

describe('parseCell', () => {
  it('keeps "NA" as text (a real league id) but reads it as a blank number', () => {
    expect(parseCell('NA', 'string')).toEqual({ value: 'NA' });
    expect(parseCell('NA', 'integer')).toEqual({ value: null });
    expect(parseCell('3,511', 'integer')).toEqual({ value: 3511 });
    expect(parseCell('2.5', 'integer')).toEqual({ error: '"2.5" is not an integer' });
    expect(parseCell('yes', 'boolean')).toEqual({ value: true });
  });
});

describe('collectTable', () => {
  it('types rows, derives columns in SQL, and reports every row it leaves out with the reason', async () => {
    const workspace = await portfolioWith('year,league,W,G\n1871,NA,20,31\n1901,AL,x,140\n1961,AL,95,163\n');
    const table = await collectTable(
      'teams',
      spec({ derive: { wins162: 'W * 162.0 / G' }, where: 'year >= 1900' }),
      {
        workspace,
        slug: 'p',
        specFile: 'project.yaml',
      },
    );
    expect(table.rows).toEqual([{ year: 1961, league: 'AL', W: 95, G: 163, wins162: (95 * 162) / 163 }]);
    // A row that does not parse is a data gap; a row the project's `where` keeps out is scope.
    expect(table.excluded.map((e) => e.reason)).toEqual(['W: "x" is not an integer']);
    expect(table.scope).toEqual({ where: 'year >= 1900', rowsOutside: 1 });
    expect(table.provenance).toMatchObject({ licence: 'CC0', rows: 1, excludedRows: 1 });
  });

  it('keeps the rows in order with their declared values, and adds derived values after them', async () => {
    const workspace = await portfolioWith(
      'year,league,W,G\n1999,NL,-0,162\n1901,AL,83,140\n1950,,71,154\n1961,AL,95,163\n',
    );
    const table = await collectTable(
      'teams',
      spec({ derive: { late: 'year > 1940', share: 'W * 1.0 / G' }, where: 'G > 150' }),
      { workspace, slug: 'p', specFile: 'project.yaml' },
    );
    expect(table.rows).toEqual([
      { year: 1999, league: 'NL', W: 0, G: 162, late: true, share: 0 },
      { year: 1950, league: null, W: 71, G: 154, late: true, share: 71 / 154 },
      { year: 1961, league: 'AL', W: 95, G: 163, late: true, share: 95 / 163 },
    ]);
    expect(table.rows.map((row) => Object.keys(row))).toEqual(
      Array(3).fill(['year', 'league', 'W', 'G', 'late', 'share']),
    );
    // An integer column holds no negative zero, as in DuckDB's BIGINT.
    expect(Object.is(table.rows[0]!.W, 0)).toBe(true);
    expect(table.columns).toMatchObject({ late: 'boolean', share: 'number' });
  });

  it('keeps a column that happens to be named like its own row-position column', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mlfolio-collect-'));
    roots.push(root);
    await writeFile(join(root, 'teams.csv'), 'year,__mlfolio_row,W\n1999,7,90\n2000,3,80\n');
    const table = await collectTable(
      'teams',
      tableSpecSchema.parse({
        source: { kind: 'csv', file: 'teams.csv', licence: 'CC0', attribution: 'test' },
        columns: { year: 'integer', __mlfolio_row: 'integer', W: 'integer' },
        time: { column: 'year', kind: 'season' },
        derive: { ___mlfolio_row: 'W + 1' },
        where: 'W > 85',
      }),
      { workspace: workspaceAt(root), slug: 'p', specFile: 'project.yaml' },
    );
    expect(table.rows).toEqual([{ year: 1999, __mlfolio_row: 7, W: 90, ___mlfolio_row: 91 }]);
  });

  it('names the file, the field and the columns the data has when a declared column is missing', async () => {
    const workspace = await portfolioWith('year,league,Wins,G\n1961,AL,95,163\n');
    await expect(
      collectTable('teams', spec({}), { workspace, slug: 'p', specFile: 'content/projects/p/project.yaml' }),
    ).rejects.toMatchObject({
      code: 'E_PROJECT_COLUMN_UNKNOWN',
      message: expect.stringContaining('data.tables.teams.columns names "W"'),
      hint: 'Columns in the data: year, league, Wins, G.',
    });
  });

  it('names the field of a derived column whose SQL does not compile', async () => {
    const workspace = await portfolioWith('year,league,W,G\n1961,AL,95,163\n');
    await expect(
      collectTable('teams', spec({ derive: { rate: 'W / Games' } }), {
        workspace,
        slug: 'p',
        specFile: 'project.yaml',
      }),
    ).rejects.toMatchObject({
      code: 'E_PROJECT_EXPRESSION_INVALID',
      message: expect.stringContaining('data.tables.teams.derive.rate ("W / Games")'),
    });
  });

  it('names the registered kinds when a table names a source nobody registered', async () => {
    const workspace = await portfolioWith('year,league,W,G\n1961,AL,95,163\n');
    // Past the schema, which refuses it first: the registry is the engine's last word on a kind.
    const table = { ...spec({}), source: { kind: 'csvv', file: 'teams.csv' } } as unknown as TableSpec;
    await expect(
      collectTable('teams', table, { workspace, slug: 'p', specFile: 'content/projects/p/project.yaml' }),
    ).rejects.toMatchObject({
      code: 'E_SOURCE_KIND_UNKNOWN',
      message:
        'content/projects/p/project.yaml: data.tables.teams.source.kind is "csvv", which no source is registered for (registered: csv, html-stats-table, openfootball).',
      hint: expect.stringContaining('Did you mean "csv"?'),
    });
  });

  it('registers a collector for exactly the source kinds the project file accepts', () => {
    expect(tableSourceSpecs.map((schema) => schema.shape.kind.value).sort()).toEqual(tableSourceKinds);
  });
});
