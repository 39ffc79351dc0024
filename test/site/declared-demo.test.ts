import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { featureStoreSpecOf } from '../../pipelines/engine/feature-store-spec.ts';
import {
  formulaEvaluator,
  type OnlineStore,
  planFeatureStore,
  serveFeatureRow,
} from '../../pipelines/feature-store/index.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { forecastWith, type TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import type { Forecast } from '../../pipelines/tasks/task.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { pageWeight } from '../../publish/page-weight.ts';
import { type StaticSite, serveStatic } from '../../publish/static-server.ts';
import { forecastSummary, formatEstimate, formatPercent } from '../../src/demo/declared-demo.ts';
import { launchBrowser } from './browser.ts';
import { pageBudget } from './page-budget.ts';
import { hostileNames, repoRoot, runCliOrThrow, workspacesRoot } from './workspaces.ts';

/**
 * The version 2 demo in Chromium, on the two declared example projects run and built in their own
 * workspace (kept between runs, so unchanged stages are reused): the forecast the page shows for
 * an event the test types in equals the feature store's serving code (formulas in DuckDB) and
 * `forecastWith` run in Node on the same event.
 */
const slugs = ['mlb-team-wins', 'international-match-outcomes'];
const hostileSlug = 'hostile-seasons';

/**
 * A small season table whose team keys are built to break out of HTML text, attributes and script
 * blocks: the entity pickers, the embedded JSON and the feature table must keep them inert.
 */
async function writeHostileProject(workspace: string): Promise<void> {
  const teams = [...hostileNames, 'Aces', 'Bears', 'Comets'];
  const quoted = (text: string) => `"${text.replaceAll('"', '""')}"`;
  const lines = ['season,team,W,R,RA'];
  for (let season = 2000; season < 2020; season++) {
    teams.forEach((team, i) => {
      const wins = 60 + ((i * 7 + season * 13) % 40);
      lines.push(
        [season, quoted(team), wins, 600 + wins * 3 + (season % 5) * 10, 600 + (162 - wins) * 3].join(','),
      );
    });
  }
  await writeFile(join(workspace, 'content', 'data', 'hostile-seasons.csv'), `${lines.join('\n')}\n`);
  const dir = join(workspace, 'content', 'projects', hostileSlug);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'project.yaml'), hostileProject);
}

const hostileProject = `version: 2
title: Season wins of teams with hostile names
summary: A small regression whose team names are built to break out of HTML, attributes and script blocks.
question: How many games will each team win next season?
whyItMatters: Scraped names are untrusted; the site must render them as text.
data:
  tables:
    seasons:
      source: { kind: csv, file: content/data/hostile-seasons.csv, licence: CC0 1.0, attribution: written for mlfolio's tests }
      columns: { season: integer, team: string, W: integer, R: integer, RA: integer }
      derive: { pythag: 162.0 * R * R / (R * R + RA * RA) }
      time: { column: season, kind: season }
  roles:
    self: { entity: team, key: team, columns: { W: W } }
target:
  task: regression
  future: { entity: team, role: self, column: W }
  label: next season's wins
features:
  - { name: wins, description: This season's wins, kind: column, column: W, ttl: 1 season }
  - { name: pythagorean_wins, description: Pythagorean wins, kind: column, column: pythag, ttl: 1 season }
  - { name: pythagorean_regressed, description: Pythagorean wins regressed toward 81, kind: formula, expression: 81 + 0.6 * (pythagorean_wins - 81), ttl: 1 season }
  - { name: wins_3_seasons, description: Mean wins over the 3 seasons before, kind: rolling, entity: team, column: W, aggregate: mean, window: { seasons: 3 }, default: 81, ttl: 4 seasons }
split: { by: season, testSeasons: 3 }
backtest: { minTrainSeasons: 10, maxFolds: 1 }
models:
  - { id: last-season, kind: persistence, label: Last season's wins, params: { feature: wins } }
  - { id: mean, kind: mean, label: The average team }
  - { id: ridge, kind: ridge }
metrics: [crps, mae, rmse]
primaryMetric: crps
impact:
  decision: Set each team's win total
  unit: wins of error
  rule: { rule: estimate }
  statusQuo: { model: last-season, label: "Last season's wins" }
seed: 42
`;
const root = join(workspacesRoot, 'declared');
const chromiumPath = inject('chromiumPath');

let browser: Browser;
let site: StaticSite;

beforeAll(async () => {
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  await cp(join(repoRoot, 'content', 'data'), join(root, 'content', 'data'), { recursive: true });
  for (const slug of slugs) {
    const target = join(root, 'content', 'projects', slug);
    await mkdir(target, { recursive: true });
    for (const entry of await readdir(join(repoRoot, 'content', 'projects', slug), { withFileTypes: true }))
      if (entry.isFile())
        await cp(join(repoRoot, 'content', 'projects', slug, entry.name), join(target, entry.name));
  }
  await writeHostileProject(root);
  await runCliOrThrow(['run'], root);
  await runCliOrThrow(['publish'], root);
  site = await serveStatic(join(root, 'dist'));
  if (chromiumPath !== null) browser = await launchBrowser(chromiumPath);
}, 900_000);

afterAll(async () => {
  await Promise.all([browser?.close(), site?.close()]);
});

async function latestRun(slug: string) {
  const runsDir = join(root, 'content', 'projects', slug, 'runs');
  const runDir = join(runsDir, (await readdir(runsDir)).sort().at(-1)!);
  const run = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as RunRecord;
  const model = run.models.find((m) => m.id === run.best)!;
  const artifact = JSON.parse(await readFile(join(runDir, model.artifact), 'utf8')) as TaskArtifact;
  const store = JSON.parse(await readFile(join(runDir, 'online-store.json'), 'utf8')) as OnlineStore;
  const project = await loadProjectFile(workspaceAt(root), slug);
  const plan = planFeatureStore(featureStoreSpecOf(project.file), project.specFile);
  return { run, artifact, store, plan, project };
}

interface Asked {
  time: string;
  entities: Record<string, string>;
  columns: Record<string, string | boolean>;
}

async function ask(page: Page, asked: Asked): Promise<{ forecast: Forecast; text: string }> {
  for (const [role, key] of Object.entries(asked.entities))
    await page.fill(`input[name="entity:${role}"]`, key);
  for (const [column, value] of Object.entries(asked.columns)) {
    if (typeof value === 'boolean') await page.setChecked(`input[name="column:${column}"]`, value);
    else await page.fill(`input[name="column:${column}"]`, value);
  }
  await page.fill('input[name="time"]', asked.time);
  const result = page.locator('#declared-demo-result');
  await expect
    .poll(async () => JSON.parse((await result.getAttribute('data-request')) ?? 'null'), { timeout: 15_000 })
    .toMatchObject(asked);
  return {
    forecast: JSON.parse((await result.getAttribute('data-forecast'))!) as Forecast,
    text: (await result.textContent()) ?? '',
  };
}

describe('the version 2 demo page', () => {
  test.each(slugs)('%s ships its demo script within the declared demo budget', async (slug) => {
    const weight = await pageWeight(join(root, 'dist'), `projects/${slug}/demo/index.html`);
    expect(weight.scriptBytes).toBeGreaterThan(0);
    expect(weight.scriptBytes).toBeLessThanOrEqual(pageBudget.maxDemoScriptBytes);
  });
});

describe.skipIf(chromiumPath === null)('the version 2 demo in a browser', () => {
  const duckdb = DuckDBInstance.create(':memory:').then((instance) => instance.connect());

  test.each([...slugs, hostileSlug])(
    '%s shows the forecast forecastWith gives in Node for the same event',
    async (slug) => {
      const { artifact, store, plan, project } = await latestRun(slug);
      const evaluate = formulaEvaluator(await duckdb);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(message.text());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${site.url}projects/${slug}/demo/`);
      await expect
        .poll(() => page.locator('#declared-demo-form[data-ready="true"]').count(), { timeout: 15_000 })
        .toBe(1);

      const roles = Object.entries(project.file.data.roles);
      const keysOf = (entity: string) =>
        [
          ...new Set(
            Object.values(store.views)
              .filter((view) => view.entity === entity)
              .flatMap((view) => Object.keys(view.values)),
          ),
        ].sort();
      // The form asks only for the columns the model reads (through its features and their formulas).
      const columnViews = await page
        .locator('input[name^="column:"]')
        .evaluateAll((inputs) =>
          inputs.map((input) => (input as HTMLInputElement).name.slice('column:'.length)),
        );
      expect(columnViews.length).toBeGreaterThan(0);
      const types = project.file.data.tables[Object.keys(project.file.data.tables)[0]!]!.columns ?? {};
      const times =
        store.timeKind === 'season'
          ? [String(Number(store.seasons.at(-1)) + 1)]
          : ['2026-08-20', '2027-03-25', '2030-01-01'];
      const requests: Asked[] = [0, 1, 2].map((k) => ({
        time: times[k % times.length]!,
        entities: Object.fromEntries(
          roles.map(([role, declared], r) => {
            const keys = keysOf(declared.entity);
            return [role, keys[(k * 37 + r * 11) % keys.length]!];
          }),
        ),
        columns: Object.fromEntries(
          columnViews.map((column, c) => [
            column,
            types[column] === 'boolean' ? (k + c) % 2 === 0 : String([88.5, 70.25, 101][k]! / (c + 1)),
          ]),
        ),
      }));
      for (const asked of requests) {
        const shown = await ask(page, asked);
        const row = await serveFeatureRow(plan, store, asked, evaluate);
        const expected = forecastWith(
          artifact,
          artifact.featureNames.map((name) => row.values[name]!),
        );
        expect(shown.forecast.kind).toBe(expected.kind);
        if (expected.kind === 'probabilities' && shown.forecast.kind === 'probabilities') {
          for (const [k, p] of expected.p.entries()) {
            expect(shown.forecast.p[k]).toBeCloseTo(p, 12);
            expect(shown.text).toContain(formatPercent(p));
          }
        } else {
          const summary = forecastSummary(expected)!;
          expect(forecastSummary(shown.forecast)!.mean).toBeCloseTo(summary.mean, 12);
          expect(forecastSummary(shown.forecast)!.interval95[1]).toBeCloseTo(summary.interval95[1], 12);
          expect(shown.text).toContain(formatEstimate(summary.mean));
          expect(shown.text).toContain(
            `${formatEstimate(summary.interval80[0])} to ${formatEstimate(summary.interval80[1])}`,
          );
        }
      }
      expect(errors).toEqual([]);
      await mkdir(join(repoRoot, 'test-results', 'screenshots'), { recursive: true });
      await page.screenshot({
        path: join(repoRoot, 'test-results', 'screenshots', `demo-${slug}.png`),
        fullPage: true,
      });
      await page.close();
    },
  );

  test('keeps hostile entity keys inert: listed and served as text, no injected element, no dialog', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(`${site.url}projects/${hostileSlug}/demo/`);
    await expect
      .poll(() => page.locator('#declared-demo-form[data-ready="true"]').count(), { timeout: 15_000 })
      .toBe(1);
    const listed = await page
      .locator('datalist option')
      .evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(listed).toEqual(expect.arrayContaining(hostileNames));
    for (const name of hostileNames) {
      await ask(page, { time: '2020', entities: { self: name }, columns: {} });
      expect(await page.locator('#declared-demo-status').textContent()).toBe('');
    }
    expect(await page.locator('img').count()).toBe(0);
    // The embedded JSON and the demo's module: nothing else.
    expect(await page.locator('script').count()).toBe(2);
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
