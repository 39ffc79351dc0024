import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlfolio, repoRoot } from './workspace.ts';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlfolio-start-failure-'));
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('mlfolio start when a project fails while it runs', () => {
  it("reports the project's own error, exits with its status and builds no site", async () => {
    expect((await mlfolio(root, ['new', 'mlb-wins', '--template', 'team-season'])).code).toBe(0);
    const specFile = join(root, 'content', 'projects', 'mlb-wins', 'project.yaml');
    // Valid as a project file, so it passes the check before the runs; the data has no such column.
    const spec = await readFile(specFile, 'utf8');
    expect(spec).toContain('        W: integer\n');
    await writeFile(
      specFile,
      spec.replace('        W: integer\n', '        W: integer\n        Wins: integer\n'),
    );

    const start = await mlfolio(root, ['start']);
    expect(start.code).toBe(3);
    expect(start.stderr).toContain('E_PROJECT_COLUMN_UNKNOWN');
    expect(start.stderr).toMatch(/data\.tables\.\w+\.columns names "Wins"/);
    expect(existsSync(join(root, 'dist'))).toBe(false);
  }, 120_000);
});
