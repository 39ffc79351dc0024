import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { focusAreaFor } from '../../learning/path/project-ideas.ts';
import { readLatestRun } from '../../pipelines/runs/run-record.ts';
import { bundledDataTemplates, templateExampleSport } from '../../templates/template-kinds.ts';
import { mlfolio, repoRoot } from '../e2e/workspace.ts';
import { pointSourceAtFixtures, serveFixturePages } from '../engine/stats-table-fixture.ts';
import type { FaultServer } from '../scrapers/fault-server.ts';

/**
 * `mlfolio path` recommends only templates that run: in every focus area (the three it knows and
 * one it does not), each recommended template is scaffolded once and run end to end by the real
 * CLI. Model lists are trimmed to keep the suite short; the stats-table scaffold reads the fixture
 * pages from a local server, as its own test does.
 */
const areas = ['football', 'basketball', 'baseball', 'curling'].map((interest) => focusAreaFor([interest]));
const recommended = [...new Set(areas.flatMap((area) => area.ideas.map((idea) => idea.template)))].sort();

let root: string;
let server: FaultServer;

beforeAll(async () => {
  server = await serveFixturePages();
  root = await mkdtemp(join(tmpdir(), 'mlfolio-ideas-'));
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
});

afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('project ideas', () => {
  it('cover every focus area, an unknown sport included, with templates that take its sport', () => {
    expect(areas.map((area) => [area.id, area.known])).toEqual([
      ['football', true],
      ['basketball', true],
      ['baseball', true],
      ['curling', false],
    ]);
    expect(recommended).toEqual(['international-match', 'match-outcome', 'stats-table', 'team-season']);
    // A template on a shipped dataset runs only in that dataset's sport; the others scrape any sport.
    for (const area of areas) {
      for (const idea of area.ideas) {
        if (bundledDataTemplates.includes(idea.template)) {
          expect(`${idea.id}: ${templateExampleSport[idea.template]}`).toBe(`${idea.id}: ${area.id}`);
        }
      }
    }
  });
});

describe.each(recommended)('the recommended %s template', (template) => {
  it('scaffolds and runs end to end', async () => {
    const slug = `idea-${template}`;
    const dir = join(root, 'content', 'projects', slug);
    const scaffold = await mlfolio(root, ['new', slug, '--template', template]);
    expect(scaffold.code, scaffold.stderr).toBe(0);
    const specFile = join(dir, 'project.yaml');
    const spec = parse(await readFile(specFile, 'utf8')) as Record<string, unknown> & {
      models: { kind: string }[];
    };
    if (spec.version === 2) {
      spec.models = spec.models.filter((m) => m.kind !== 'mlp' && m.kind !== 'gradient-boosting');
      spec.backtest = { ...(spec.backtest as object), maxFolds: 1 };
    } else {
      spec.models = spec.models.filter((m) => m.kind !== 'mlp');
    }
    spec.leakageGuard = { ...(spec.leakageGuard as object), probes: 2 };
    await writeFile(specFile, stringify(spec));
    if (template === 'stats-table') {
      await pointSourceAtFixtures(dir, server);
      const scrape = await mlfolio(root, ['scrape', slug]);
      expect(scrape.code, scrape.stderr).toBe(0);
    }

    const run = await mlfolio(root, ['run', slug]);
    expect(run.code, run.stderr).toBe(0);
    const record = await readLatestRun(join(dir, 'runs'));
    expect(record?.models.length).toBe(spec.models.length);
    expect(record?.models.every((model) => Object.keys(model.metrics).length > 0)).toBe(true);
  }, 600_000);
});
