import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleWorkspace, mlfolio } from '../e2e/workspace.ts';
import { v1ProjectFile } from '../helpers/v1-football.ts';

let root: string;

beforeAll(async () => {
  root = await exampleWorkspace('mlfolio-collect-');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mlfolio collect', () => {
  it('writes every declared table with its provenance and the rows left out, with their reasons', async () => {
    const result = await mlfolio(root, ['collect', 'football-match-outcomes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /^football-match-outcomes: table matches: 6504 rows from npm:vega-datasets@/m,
    );
    expect(result.stdout).toMatch(/4 left out/);
    const file = join(root, '.mlfolio', 'data', 'football-match-outcomes', 'tables', 'matches.json');
    const table = JSON.parse(await readFile(file, 'utf8')) as {
      rows: Record<string, unknown>[];
      excluded: { reason: string }[];
      provenance: { rows: number; licence: string };
    };
    expect(table.rows).toHaveLength(6504);
    expect(table.provenance.rows).toBe(6504);
    expect(table.provenance.licence).toMatch(/CC0/);
    expect(table.excluded.map((e) => e.reason)).toEqual(Array(4).fill(expect.stringMatching(/no score/)));
    // The derived target column is collected with the table.
    expect(new Set(table.rows.map((row) => row.result))).toEqual(new Set(['H', 'D', 'A']));
  });

  it('reads a version 1 project file upgraded, with its one-line notice', async () => {
    await writeFile(
      join(root, 'content', 'projects', 'football-match-outcomes', 'project.yaml'),
      await readFile(v1ProjectFile, 'utf8'),
    );
    const result = await mlfolio(root, ['collect', 'football-match-outcomes']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/project\.yaml is a version 1 project file; read as version 2/);
    expect(result.stderr.match(/version 1 project file/g)).toHaveLength(1);
    expect(result.stdout).toMatch(/table matches: 6504 rows/);
  });
});
