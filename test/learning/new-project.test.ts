import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { auditProject } from '../../learning/audit/audit-project.ts';
import { failureGroups } from '../../learning/audit/failure-groups.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { listProjects, loadProject } from '../../portfolio/project-spec.ts';
import { projectPaths } from '../../portfolio/workspace.ts';
import { loadSourceFile } from '../../scrapers/source-file.ts';
import { draftReason } from '../../templates/draft-project.ts';
import { scaffoldProject } from '../../templates/scaffold-project.ts';
import { validateStatsTableProject } from '../../templates/stats-table/stats-table-spec.ts';
import { disposableWorkspaces } from './temp-workspace.ts';

const today = new Date('2026-11-22T10:00:00Z');
const workspace = disposableWorkspaces();
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

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

    const audit = await auditProject(ws, 'my-forecasts');
    const byId = Object.fromEntries(audit.checks.map((c) => [c.id, c]));
    expect(byId['baseline-compared']!.hint).toBe(
      'Run `mlfolio run my-forecasts` (or `npm start`) to record a run.',
    );
    expect(byId['writeup-complete']!.verdict).toBe('fail');
    expect(byId['writeup-complete']!.evidence.join(' ')).toMatch(/"Approach" \(line \d+\) has 0 words/);
    expect(byId['writeup-complete']!.evidence.join(' ')).toContain(
      'project.yaml still has TODO placeholders',
    );
    expect(byId['walkthrough-ready']!.verdict).toBe('fail');
  });

  it('scaffolds a stats-table project as a draft with a scrape source file the scraper accepts', async () => {
    const ws = await workspace();
    const scaffold = await scaffoldProject(ws, 'nba-team-wins', 'stats-table', today);
    expect(scaffold.files.map((f) => basename(f))).toEqual([
      'project.yaml',
      'source.yaml',
      'writeup.mdx',
      'walkthrough.mdx',
    ]);
    const source = await loadSourceFile(join(scaffold.dir, 'source.yaml'));
    expect(source).toMatchObject({
      kind: 'html-stats-table',
      name: 'nba-team-wins',
      table: { ids: ['advanced-team'] },
    });
    expect(await draftReason(ws, 'nba-team-wins')).toBe(
      'its data is not collected yet (`mlfolio scrape nba-team-wins`) and the pipeline does not run task "stats-table" yet',
    );
    const audit = await auditProject(ws, 'nba-team-wins');
    expect(audit.draft).toBeDefined();
    expect(audit.task).toBe('stats-table');
    const baseline = audit.checks.find((c) => c.id === 'baseline-compared')!;
    expect(baseline.evidence).toEqual([`No run recorded: the project is a draft, because ${audit.draft}.`]);

    // Once collected, the draft says what is left.
    const { dataDir } = projectPaths(ws, 'nba-team-wins');
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'dataset.json'), '{}');
    expect(await draftReason(ws, 'nba-team-wins')).toBe(
      'its data is collected, but the pipeline does not run task "stats-table" yet',
    );

    // A mistake in the draft's files is reported with its file and field, though nothing can run it yet.
    const specFile = projectPaths(ws, 'nba-team-wins').specFile;
    await writeFile(specFile, (await readFile(specFile, 'utf8')).replace('column: wins', 'column: win'));
    const broken = (await auditProject(ws, 'nba-team-wins')).checks[0]!;
    expect(broken.evidence.join(' ')).toContain(
      'target.column: "win" is not a column of table.columns in content/projects/nba-team-wins/source.yaml',
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

  it('titles a stats-table scaffold with its abbreviation, tags its sport and says which file holds what', async () => {
    const ws = await workspace();
    vi.stubEnv('MLFOLIO_ROOT', ws.root);
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(['new', 'nba-team-wins', '--template', 'stats-table'])).toBe(0);
    const printed = out.mock.calls.map((call) => String(call[0])).join('\n');
    expect(printed).toContain('Next: in source.yaml, check the example pages (NBA team stats');
    expect(printed).toContain(
      'and the licence; in project.yaml, the seasons (one per URL), the target and the features',
    );
    const { spec } = await validateStatsTableProject(
      await readFile(projectPaths(ws, 'nba-team-wins').specFile, 'utf8'),
      projectPaths(ws, 'nba-team-wins').specFile,
    );
    expect(spec.title).toBe('NBA team wins');
    expect(spec.tags).toEqual(['basketball', 'stats-table', 'scraping']);
  });

  it('scaffolds a stats-table project in a sport with no example source with placeholders, never NBA pages', async () => {
    const ws = await workspace();
    const scaffold = await scaffoldProject(ws, 'tennis-outcomes', 'stats-table', today, { sport: 'Tennis' });
    expect(scaffold).toMatchObject({ sport: 'tennis', exampleSource: false });
    const sourceText = await readFile(join(scaffold.dir, 'source.yaml'), 'utf8');
    expect(sourceText).not.toMatch(/basketball-reference|NBA/);
    expect(sourceText).toContain('TODO: mlfolio has no example source for tennis');
    const { spec, source } = await validateStatsTableProject(
      await readFile(projectPaths(ws, 'tennis-outcomes').specFile, 'utf8'),
      projectPaths(ws, 'tennis-outcomes').specFile,
    );
    expect(spec.tags).toEqual(['tennis', 'stats-table', 'scraping']);
    expect(source.kind === 'html-stats-table' && source.urls.map((url) => new URL(url).hostname)).toEqual(
      Array(3).fill('tennis-stats.example.invalid'),
    );

    const error = (await scaffoldProject(ws, 'tennis-matches', 'match-outcome', today, {
      sport: 'tennis',
    }).catch((e: unknown) => e)) as MlfolioError;
    expect(error.code).toBe('E_TEMPLATE_SPORT');
    expect(error.hint).toContain('--template stats-table --sport tennis');
    expect(await listProjects(ws)).toEqual(['tennis-outcomes']);
  });

  it("lists a draft's checks that wait for one thing once, with the reason and the hint", async () => {
    const ws = await workspace();
    await scaffoldProject(ws, 'nba-team-wins', 'stats-table', today);
    const audit = await auditProject(ws, 'nba-team-wins');
    const groups = failureGroups(audit.checks);
    expect(groups.map((group) => group.checks.length)).toEqual([15, 3, 1, 1]);
    expect(groups[0]!.reason).toBe(`No run recorded: the project is a draft, because ${audit.draft}.`);
    // The three labelling checks wait for one thing: a labelling task in the project file.
    expect(groups[1]!.checks.map((check) => check.id)).toEqual([
      'labelling-agreement',
      'label-error-audit',
      'label-effect-measured',
    ]);
    expect(groups[1]!.reason).toBe('The project declares no labelling task.');
    expect(groups.slice(2).map((group) => group.checks[0]!.id)).toEqual([
      'writeup-complete',
      'walkthrough-ready',
    ]);
  });
});
