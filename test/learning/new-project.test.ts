import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { auditProject } from '../../learning/audit/audit-project.ts';
import { failureGroups } from '../../learning/audit/failure-groups.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { listProjects } from '../../portfolio/project-folders.ts';
import { projectPaths } from '../../portfolio/workspace.ts';
import { loadSourceFile, pagesOf } from '../../scrapers/source-file.ts';
import { placeholdersIn } from '../../scrapers/sources/html-stats-table/placeholders.ts';
import { draftReason } from '../../templates/draft-project.ts';
import { scaffoldProject, sizeForSeasons } from '../../templates/scaffold-project.ts';
import { templateKinds } from '../../templates/template-kinds.ts';
import { disposableWorkspaces } from './temp-workspace.ts';

const today = new Date('2026-11-22T10:00:00Z');
const workspace = disposableWorkspaces();
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('mlfolio new', () => {
  it('tags every scaffold with its template, which is how `mlfolio path` finds the idea it came from', async () => {
    const ws = await workspace();
    for (const kind of templateKinds) {
      const slug = `from-${kind}`;
      await scaffoldProject(ws, slug, kind, today);
      const { spec } = await loadAnyProject(ws, slug);
      expect(spec.tags, kind).toContain(kind);
    }
  });

  it('scaffolds a match-outcome project whose files validate and whose writeup the audit finds unfinished', async () => {
    const ws = await workspace();
    const scaffold = await scaffoldProject(ws, 'my-forecasts', 'match-outcome', today);
    expect(scaffold.files.map((f) => f.split(/[/\\]/).at(-1))).toEqual([
      'project.yaml',
      'writeup.mdx',
      'walkthrough.mdx',
    ]);
    expect(await listProjects(ws)).toEqual(['my-forecasts']);
    const project = await loadAnyProject(ws, 'my-forecasts');
    expect(project.version).toBe(2);
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

  it('scaffolds a stats-table project, a version 2 file that waits for its pages, with a source the scraper accepts', async () => {
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
      pages: {
        url: 'https://www.basketball-reference.com/leagues/NBA_{season}.html',
        seasons: { from: 2005, to: 2024 },
      },
      table: { ids: ['advanced-team', 'misc_stats'] },
    });
    const project = await loadAnyProject(ws, 'nba-team-wins');
    expect(project.version).toBe(2);
    expect(project.version === 2 && project.declared.file.target).toMatchObject({
      task: 'regression',
      future: { entity: 'team', role: 'self', column: 'wins' },
    });
    // 20 pages: 18 usable seasons, so 2 test seasons and a backtest of the 5 before them.
    expect(project.version === 2 && project.declared.file.backtest).toMatchObject({
      minTrainSeasons: 13,
      maxFolds: 5,
    });
    expect(await draftReason(ws, 'nba-team-wins')).toBe(
      'its data is not collected yet (`mlfolio scrape nba-team-wins`)',
    );
    const audit = await auditProject(ws, 'nba-team-wins');
    expect(audit.draft).toBeDefined();
    expect(audit.task).toBe('regression');
    const baseline = audit.checks.find((c) => c.id === 'baseline-compared')!;
    expect(baseline.evidence).toEqual([`No run recorded: the project is a draft, because ${audit.draft}.`]);

    // Once its pages are collected, it runs like any other project: no longer a draft.
    const { dataDir } = projectPaths(ws, 'nba-team-wins');
    await mkdir(dataDir, { recursive: true });
    await writeFile(join(dataDir, 'dataset.json'), '{}');
    expect(await draftReason(ws, 'nba-team-wins')).toBeUndefined();

    // A mistake in the waiting project's file is reported with its file and field.
    await rm(join(dataDir, 'dataset.json'));
    const specFile = projectPaths(ws, 'nba-team-wins').specFile;
    await writeFile(
      specFile,
      (await readFile(specFile, 'utf8')).replace('kind: persistence', 'kind: persistance'),
    );
    const broken = (await auditProject(ws, 'nba-team-wins')).checks[0]!;
    expect(broken.evidence.join(' ')).toContain('persistance');
    expect(broken.hint).toContain('Complete content/projects/nba-team-wins/project.yaml so it loads');
  });

  it('sizes the split and backtest to the seasons listed', () => {
    expect(sizeForSeasons(20)).toEqual({ testSeasons: 2, minTrainSeasons: 13, maxFolds: 5 });
    expect(sizeForSeasons(12)).toEqual({ testSeasons: 1, minTrainSeasons: 5, maxFolds: 5 });
    expect(sizeForSeasons(8)).toEqual({ testSeasons: 1, minTrainSeasons: 3, maxFolds: 3 });
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

  it('titles a stats-table scaffold with its abbreviation, tags its sport and says what to do next', async () => {
    const ws = await workspace();
    vi.stubEnv('MLFOLIO_ROOT', ws.root);
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    expect(await main(['new', 'nba-team-wins', '--template', 'stats-table'])).toBe(0);
    const printed = out.mock.calls.map((call) => String(call[0])).join('\n');
    expect(printed).toContain('Next: check the example pages in source.yaml (NBA team advanced stats');
    expect(printed).toContain('then `mlfolio scrape nba-team-wins` and `mlfolio run nba-team-wins`');
    const { spec } = await loadAnyProject(ws, 'nba-team-wins');
    expect(spec.title).toBe('NBA team wins');
    expect(spec.tags).toEqual(['basketball', 'stats-table', 'scraping', 'regression']);
  });

  it('scaffolds a stats-table project in a sport with no example source with placeholders, never NBA pages', async () => {
    const ws = await workspace();
    const scaffold = await scaffoldProject(ws, 'tennis-outcomes', 'stats-table', today, { sport: 'Tennis' });
    expect(scaffold).toMatchObject({ sport: 'tennis', exampleSource: false });
    const sourceText = await readFile(join(scaffold.dir, 'source.yaml'), 'utf8');
    expect(sourceText).not.toMatch(/basketball-reference|NBA/);
    expect(sourceText).toContain('TODO: mlfolio has no example pages for tennis');
    const { spec } = await loadAnyProject(ws, 'tennis-outcomes');
    expect(spec.tags).toEqual(['tennis', 'stats-table', 'scraping', 'regression']);
    const source = await loadSourceFile(join(scaffold.dir, 'source.yaml'));
    expect(
      source.kind === 'html-stats-table' && pagesOf(source).map((page) => new URL(page.url).hostname),
    ).toEqual(Array(20).fill('tennis-stats.example.invalid'));
    expect(
      source.kind === 'html-stats-table' && placeholdersIn(source).map((placeholder) => placeholder.field),
    ).toEqual([
      'pages.url',
      'table.ids[0]',
      'table.columns.team.from',
      'table.columns.team_name.from',
      'table.columns.wins.from',
      'table.columns.losses.from',
      'table.columns.scored.from',
      'table.columns.allowed.from',
    ]);

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
    expect(groups.map((group) => group.checks.length)).toEqual([17, 3, 1, 1]);
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
