import { readdir, readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { auditProject } from '../../learning/audit/audit-project.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { listProjects, loadProject } from '../../portfolio/project-spec.ts';
import { projectPaths } from '../../portfolio/workspace.ts';
import { draftReason } from '../../templates/draft-project.ts';
import { scaffoldProject } from '../../templates/scaffold-project.ts';
import { tempWorkspace } from './temp-workspace.ts';

const today = new Date('2026-11-22T10:00:00Z');
const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposers.splice(0)) await dispose();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});
async function workspace() {
  const ws = await tempWorkspace({ example: false });
  disposers.push(ws.dispose);
  return ws;
}

describe('mlfolio new', () => {
  it('scaffolds a match-outcome project whose files validate and whose writeup the audit finds unfinished', async () => {
    const ws = await workspace();
    const scaffold = await scaffoldProject(ws, 'my-forecasts', 'match-outcome', today);
    expect(scaffold.files.map((f) => f.split(/[/\\]/).at(-1))).toEqual([
      'project.yaml',
      'writeup.mdx',
      'walkthrough.mdx',
    ]);
    expect(await listProjects(ws)).toEqual(['my-forecasts']);
    const project = await loadProject(ws, 'my-forecasts');
    expect(project.spec.title).toBe('My forecasts');
    expect(project.specText).toContain(
      'scaffolded by `mlfolio new my-forecasts --template match-outcome` on 2026-11-22',
    );
    expect(await draftReason(ws, 'my-forecasts')).toBeUndefined();

    const audit = await auditProject(ws, 'my-forecasts', { serving: {} });
    const byId = Object.fromEntries(audit.checks.map((c) => [c.id, c]));
    expect(byId['baseline-compared']!.hint).toBe(
      'Run `mlfolio run my-forecasts` (or `npm start`) to record a run.',
    );
    expect(byId['writeup-complete']!.verdict).toBe('fail');
    expect(byId['writeup-complete']!.evidence.join(' ')).toMatch(/"Trade-offs" \(line \d+\) has 0 words/);
    expect(byId['writeup-complete']!.evidence.join(' ')).toContain(
      'project.yaml still has TODO placeholders',
    );
    expect(byId['walkthrough-ready']!.verdict).toBe('fail');
  });

  it('scaffolds a stats-table project as a draft that the audit explains and start would skip', async () => {
    const ws = await workspace();
    await scaffoldProject(ws, 'nba-team-wins', 'stats-table', today);
    expect(await draftReason(ws, 'nba-team-wins')).toBe(
      'its task "stats-table" is not collected and run by the pipeline yet',
    );
    const audit = await auditProject(ws, 'nba-team-wins', { serving: {} });
    expect(audit.draft).toBeDefined();
    expect(audit.task).toBe('stats-table');
    const baseline = audit.checks.find((c) => c.id === 'baseline-compared')!;
    expect(baseline.evidence[0]).toContain('the project is a draft');
    const text = await readFile(projectPaths(ws, 'nba-team-wins').specFile, 'utf8');
    expect(text).toContain('kind: html-stats-table');
    expect(text).toContain('ids: [advanced-team]');
    expect(baseline.evidence).toHaveLength(1);

    // A mistake in the draft's file is reported with its field, though the pipeline cannot run it yet.
    await writeFile(projectPaths(ws, 'nba-team-wins').specFile, text.replace('column: wins', 'column: win'));
    const broken = (await auditProject(ws, 'nba-team-wins', { serving: {} })).checks[0]!;
    expect(broken.evidence.join(' ')).toContain(
      'target.column: "win" is not a column of source.table.columns',
    );
    expect(broken.hint).toContain('Fix content/projects/nba-team-wins/project.yaml first.');
  });

  it('refuses to overwrite an existing project and leaves its files untouched', async () => {
    const ws = await workspace();
    await scaffoldProject(ws, 'my-forecasts', 'match-outcome', today);
    const before = await readFile(projectPaths(ws, 'my-forecasts').specFile, 'utf8');
    const error = await scaffoldProject(ws, 'my-forecasts', 'stats-table', today).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlfolioError);
    expect((error as MlfolioError).code).toBe('E_PROJECT_EXISTS');
    expect(await readFile(projectPaths(ws, 'my-forecasts').specFile, 'utf8')).toBe(before);
    expect(await readdir(ws.projectsDir)).toEqual(['my-forecasts']);
  });

  it.each([
    ['My Forecasts', 'my-forecasts'],
    ['nba--wins', 'nba-wins'],
    ['-edge', 'edge'],
  ])('rejects the slug "%s" and suggests "%s"', async (slug, suggestion) => {
    const ws = await workspace();
    const error = (await scaffoldProject(ws, slug, 'match-outcome', today).catch(
      (e: unknown) => e,
    )) as MlfolioError;
    expect(error.code).toBe('E_SLUG_INVALID');
    expect(error.hint).toContain(`mlfolio new ${suggestion} `);
    expect(await listProjects(ws)).toEqual([]);
  });

  it('names the nearest template for a misspelt kind, through the CLI', async () => {
    const ws = await workspace();
    vi.stubEnv('MLFOLIO_ROOT', ws.root);
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(await main(['new', 'x', '--template', 'stat-table'])).toBe(2);
    expect(String(err.mock.calls.at(-1)![0])).toContain('Did you mean "stats-table"?');
  });
});
