import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProject } from '../../pipelines/run-project.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { loadProject } from '../../portfolio/project-spec.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import type { MatchRecord } from '../../scrapers/sources/openfootball/index.ts';
import { syntheticMatches } from './synthetic-matches.ts';

const projectYaml = `title: Demo
summary: A synthetic league.
question: Who wins?
whyItMatters: Tests.
source: { kind: openfootball, transport: offline }
features: [elo_diff, elo_home, elo_away, form_home, form_away]
models:
  - { id: prior, kind: prior }
  - { id: elo, kind: elo }
  - { id: logreg, kind: logistic-regression, params: { epochs: 20 } }
  - { id: mlp, kind: mlp, params: { hidden: [4], epochs: 2, batchSize: 64 } }
  - { id: boosting, kind: gradient-boosting, params: { rounds: 10, minLeafRows: 10 } }
impact: { compareWith: [elo] }
leakageGuard: { probes: 4 }
explain: { repeats: 2, partialDependence: 2 }
resamples: 200
`;

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

async function workspaceWith(yaml = projectYaml) {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-run-'));
  roots.push(root);
  await mkdir(join(root, 'content', 'projects', 'demo'), { recursive: true });
  await writeFile(join(root, 'content', 'projects', 'demo', 'project.yaml'), yaml);
  const workspace = workspaceAt(root);
  return { workspace, project: await loadProject(workspace, 'demo') };
}

const dataset = (records: MatchRecord[]) => async () => ({
  records,
  excluded: [],
  provenance: {
    source: 'synthetic',
    transport: 'fixture',
    origin: ['test'],
    licence: 'none',
    attribution: 'none',
    collectedAt: '2020-01-01T00:00:00.000Z',
    rows: records.length,
    excludedRows: 0,
    sha256: String(records.length),
    firstDate: records[0]?.date,
    lastDate: records.at(-1)?.date,
  },
});

const matches = syntheticMatches({ seasons: 4, teams: 10 });
const now = () => new Date('2024-01-01T00:00:00Z');

/** Everything in a record that must not depend on the clock or the machine's load. */
function measured(record: RunRecord) {
  const { runId: _r, createdAt: _c, stages: _s, timings: _t, models, ...rest } = record;
  return { ...rest, models: models.map(({ timings: _m, ...m }) => m) };
}

describe('runProject', () => {
  it('records every evaluation, explanation and impact section, and reuses unchanged stages', async () => {
    const { workspace, project } = await workspaceWith();
    const first = await runProject(workspace, project, { collect: dataset(matches), now });
    const run = first.record;
    expect(first.reused).toBe(false);
    expect(run.models.map((m) => m.id)).toEqual(['prior', 'elo', 'logreg', 'mlp', 'boosting']);
    for (const model of run.models) {
      for (const estimate of Object.values(model.metrics)) {
        expect(Number.isFinite(estimate.value)).toBe(true);
        expect(estimate.lower!).toBeLessThanOrEqual(estimate.value);
        expect(estimate.upper!).toBeGreaterThanOrEqual(estimate.value);
      }
    }
    expect(run.comparisons!.filter((c) => c.metric === 'rps')).toHaveLength(4);
    expect(Object.keys(run.calibrationError!)).toEqual(['prior', 'elo', 'logreg', 'mlp', 'boosting']);
    expect(run.confusion!.elo!.flat().reduce((a, b) => a + b, 0)).toBe(run.split.test.rows);
    expect(run.backtest!.map((f) => f.testSeason)).toEqual(['2014-15', '2015-16', '2016-17']);
    expect(run.slices!.map((s) => `${s.dimension}=${s.value}`)).toEqual([
      'league=Synthetic League',
      'season=2016-17',
    ]);
    expect(run.importance!.features).toHaveLength(5);
    expect(run.partialDependence).toHaveLength(2);
    expect(run.impact!.headline).toMatch(
      /^Tipping with .+ over the 2016-17 season \(90 matches\) earns \d+ points: /,
    );
    expect(run.impact!.gains.map((g) => g.over)).toEqual(['always-home', 'elo']);
    expect(run.leakageGuard!.probes).toHaveLength(4);

    // Every section can be drawn: the site's chart builders render each to SVG.
    const { renderSvg } = await import('../../src/charts/render-svg.ts');
    const { importanceSpec } = await import('../../src/charts/importance.ts');
    const { backtestSpec } = await import('../../src/charts/backtest.ts');
    const { impactSpec } = await import('../../src/charts/impact.ts');
    const { partialDependenceSpecs } = await import('../../src/charts/partial-dependence.ts');
    const specs = [
      importanceSpec(run),
      backtestSpec(run),
      impactSpec(run),
      ...partialDependenceSpecs(run).map((c) => c.spec),
    ];
    for (const spec of specs) expect(await renderSvg(spec!)).toMatch(/^<svg[\s\S]*<\/svg>$/);

    const again = await runProject(workspace, project, { collect: dataset(matches), now });
    expect(again.reused).toBe(true);
    expect(again.record.runId).toBe(run.runId);
  });

  it('gives bit-for-bit identical metrics, intervals, explanations and impact for the same inputs and seed', async () => {
    const a = await workspaceWith();
    const b = await workspaceWith();
    const one = await runProject(a.workspace, a.project, { collect: dataset(matches), now, force: true });
    const two = await runProject(b.workspace, b.project, { collect: dataset(matches), now, force: true });
    expect(JSON.stringify(measured(two.record))).toBe(JSON.stringify(measured(one.record)));
  });
});

describe('bad input is caught naming project, stage, column and rows', () => {
  it('null scores', async () => {
    const { workspace, project } = await workspaceWith();
    const broken = matches.map((m, i) => (i === 5 ? { ...m, homeGoals: null as unknown as number } : m));
    await expect(runProject(workspace, project, { collect: dataset(broken), now })).rejects.toThrow(
      /Project "demo", stage features: column "homeGoals" is empty in 1 row\(s\): row 5 \(2013-08-08 Team A–Team G\)/,
    );
  });

  it('a missing column', async () => {
    const { workspace, project } = await workspaceWith();
    const broken = matches.map(({ league: _, ...rest }) => rest as MatchRecord);
    await expect(runProject(workspace, project, { collect: dataset(broken), now })).rejects.toThrow(
      /Project "demo", stage features: the dataset has no column "league"/,
    );
  });

  it('a constant feature', async () => {
    const { workspace, project } = await workspaceWith(
      projectYaml.replace('features: [elo_diff,', 'features: [rest_days_away, elo_diff,'),
    );
    // One match a week per team: rest days are capped at 14 for everyone, every week.
    const weekly = matches.map((m, i) => ({
      ...m,
      date: new Date(Date.UTC(2013, 7, 1) + i * 15 * 86_400_000).toISOString().slice(0, 10),
    }));
    await expect(runProject(workspace, project, { collect: dataset(weekly), now })).rejects.toThrow(
      /Project "demo", stage split: feature\(s\) "rest_days_away" take a single value \(rest_days_away = 14\) over all \d+ training rows/,
    );
  });

  it('a class absent from the training seasons', async () => {
    const { workspace, project } = await workspaceWith();
    const noDraws = matches.map((m) =>
      m.season !== '2016-17' && m.homeGoals === m.awayGoals ? { ...m, homeGoals: m.homeGoals + 1 } : m,
    );
    await expect(runProject(workspace, project, { collect: dataset(noDraws), now })).rejects.toThrow(
      /Project "demo", stage split, column "result": no draw occurs in the \d+ training rows \(seasons 2013-14, 2014-15, 2015-16\); \d+ row\(s\) \(2016/,
    );
  });

  it('NaN produced by a feature', async () => {
    const { workspace, project } = await workspaceWith(
      projectYaml.replace('features: [', 'features: [rest_days_home, '),
    );
    // A malformed date parses to NaN, so the rest days of that team's next match are NaN.
    const broken = matches.map((m, i) => (i === 3 ? { ...m, date: '2013-08-0x' } : m));
    await expect(runProject(workspace, project, { collect: dataset(broken), now })).rejects.toThrow(
      /Project "demo", stage features: feature "rest_days_home" is NaN or infinite in 1 row\(s\): 2013-08-0x Team A–Team E/,
    );
  });
});

describe('mlfolio runs: listing and comparing recorded runs', () => {
  it('lists runs oldest first and compares two side by side, naming what changed', async () => {
    const { compareRunsTable, formatTable, resolveRunId, runsTable } = await import(
      '../../pipelines/runs/compare-runs.ts'
    );
    const { workspace, project } = await workspaceWith();
    const one = await runProject(workspace, project, { collect: dataset(matches), now });
    const changed = await workspaceWith(projectYaml.replace('resamples: 200', 'resamples: 200\nseed: 43'));
    const two = await runProject(workspace, changed.project, {
      collect: dataset(matches),
      now: () => new Date('2024-01-02T00:00:00Z'),
    });
    const ids = [one.record.runId, two.record.runId];
    expect(ids[0]! < ids[1]!).toBe(true);
    expect(resolveRunId('demo', ids, 'latest')).toBe(ids[1]);
    expect(resolveRunId('demo', ids, 'previous')).toBe(ids[0]);
    expect(resolveRunId('demo', ids, '20240101')).toBe(ids[0]);
    expect(() => resolveRunId('demo', ids, '2024')).toThrow(/"2024" matches 2 runs/);
    expect(() => resolveRunId('demo', ids, 'nope')).toThrow(/Project "demo" has no run "nope"/);

    const list = runsTable([one.record, two.record]);
    expect(list.map((row) => row[0])).toEqual(['run', ...ids]);
    const comparison = compareRunsTable(one.record, two.record);
    const row = (label: string) => comparison.find((r) => r[0] === label)!;
    expect(row('seed')).toEqual(['seed', '42', '43', 'changed']);
    expect(row('dataset sha256')![3]).toBe('same');
    expect(row('stages with new inputs')![2]).toMatch(/train:logreg|train:mlp/);
    expect(row('prior rps')![3]).toBe('0');
    expect(formatTable(comparison)).toContain('seed');
  });
});
