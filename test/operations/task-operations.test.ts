import { execFile } from 'node:child_process';
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import got from 'got';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse, stringify } from 'yaml';
import { auditProject } from '../../learning/audit/audit-project.ts';
import { readDecisionRecords } from '../../operations/decision-record.ts';
import { resolveDeployedTaskModel } from '../../operations/deployed-task-model.ts';
import { appendDeployment, readDeploymentLog } from '../../operations/deployment-record.ts';
import { monitorTaskProject } from '../../operations/monitor-task.ts';
import { readMonitoringRecords } from '../../operations/monitoring-record.ts';
import { retrainTaskProject } from '../../operations/retrain-task.ts';
import { runEngine } from '../../pipelines/engine/run-engine.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { projectPaths } from '../../portfolio/workspace.ts';
import { serveDeclaredProject } from '../../serving/declared/task-server.ts';
import { modelHealthSpec } from '../../src/charts/model-health.ts';
import { monitoredScores } from '../../src/site-data/operations.ts';
import { mlfolio, repoRoot } from '../e2e/workspace.ts';
import { binarySlug, countSlug, ordinalSlug, regressionSlug, taskWorkspace } from './task-workspace.ts';

let fixture: Awaited<ReturnType<typeof taskWorkspace>>;
const early = {} as Record<string, RunRecord>;
// The data as it stood at each project's first run: the rest arrives "later".
const cutoff = {
  [regressionSlug]: '2015',
  [binarySlug]: '2023-12-31',
  [countSlug]: '2015',
  [ordinalSlug]: '2023-12-31',
} as const;
let tick = 0;
// A fixed clock that moves a minute per call: record ids are distinct and the test is repeatable.
const now = () => new Date(Date.UTC(2026, 0, 1, 12, tick++));
const load = (slug: string) => loadProjectFile(fixture.workspace, slug);

beforeAll(async () => {
  fixture = await taskWorkspace();
  for (const slug of [regressionSlug, binarySlug, countSlug, ordinalSlug] as const) {
    early[slug] = (
      await runEngine(fixture.workspace, await load(slug), { dataUntil: cutoff[slug], now })
    ).record;
  }
}, 300_000);

afterAll(async () => {
  await fixture?.dispose();
});

/**
 * PSI (over the reference's deciles, as `operations/drift.ts` defines it) and the two-sample KS
 * statistic of some columns, computed by pandas, numpy and scipy from the raw CSV: the feature
 * values, the periods and the statistics all come from outside mlfolio.
 */
async function pythonDrift(script: string): Promise<Record<string, { psi: number; ks: number }>> {
  const program = `
import json, sys
import numpy as np, pandas as pd
from scipy.stats import ks_2samp
def psi(ref, cur, bins=10):
    s = np.sort(np.asarray(ref, dtype=float))
    cuts = sorted(set(s[int(((i + 1) * len(s)) // bins)] for i in range(bins - 1)))
    def shares(v):
        idx = np.searchsorted(np.asarray(cuts), np.asarray(v, dtype=float), side='right')
        counts = np.bincount(idx, minlength=len(cuts) + 1)
        return np.maximum(1e-4, counts / len(v))
    r, c = shares(ref), shares(cur)
    return float(np.sum((c - r) * np.log(c / r)))
out = {}
${script}
print(json.dumps(out))
`;
  const { stdout } = await promisify(execFile)('/usr/bin/python3', ['-c', program], { cwd: repoRoot });
  return JSON.parse(stdout);
}

describe('monitoring and retraining a regression project (MLB wins, next season)', () => {
  const slug = regressionSlug;

  test('with no event resolved since the run, the check records that there is nothing new', async () => {
    const { record, file } = await monitorTaskProject(fixture.workspace, await load(slug), {
      dataUntil: cutoff[slug],
      now,
    });
    expect(record).toMatchObject({
      schemaVersion: 2,
      status: 'no-new-data',
      task: { kind: 'regression' },
      deployed: { runId: early[slug]!.runId, modelId: 'ridge', promotedBy: 'latest-run-best' },
    });
    expect(record.findings[0]).toMatch(/No event has resolved after 2014/);
    expect(record.performance).toBeUndefined();
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(record);
  });

  test('the audit does not credit monitoring before a check on new data and a retrain decision', async () => {
    const check = (await auditProject(fixture.workspace, slug)).checks.find(
      (c) => c.id === 'model-monitored',
    )!;
    expect(check.verdict).toBe('fail');
    expect(check.evidence).toEqual([
      'Every monitoring check found no event resolved after the deployed model’s data.',
      'No retrain decision recorded.',
    ]);
    expect(check.hint).toContain(`mlfolio monitor ${slug}`);
    expect(check.hint).toContain(`mlfolio retrain ${slug}`);
  }, 60_000);

  test('with five new seasons, drift, metrics and staleness are recorded, and the drift matches scipy', async () => {
    const { record } = await monitorTaskProject(fixture.workspace, await load(slug), { now });
    const run = early[slug]!;
    expect(record.reference).toEqual({ ...run.split.train });
    // A season's row gets its target (next season's wins) a season later: 2015–2019 resolved since.
    expect(record.current).toEqual({
      seasons: ['2015', '2016', '2017', '2018', '2019'],
      from: '2015',
      to: '2019',
      rows: 150,
    });
    const performance = record.performance!;
    expect(performance.primaryMetric).toBe('crps');
    expect(performance.windowUnit).toBe('season');
    expect(performance.windows.map((w) => [w.month, w.rows])).toEqual(
      ['2015', '2016', '2017', '2018', '2019'].map((s) => [s, 30]),
    );
    for (const metric of run.task.metrics) {
      const now = performance.current[metric]!;
      const change = performance.change[metric]!;
      expect(now.lower!).toBeLessThanOrEqual(now.value);
      expect(now.upper!).toBeGreaterThanOrEqual(now.value);
      // The evaluation period rebuilt from today's data scores as the run recorded it.
      const atEvaluation = run.models.find((m) => m.id === 'ridge')!.metrics[metric]!.value;
      expect(now.value - change.difference.value).toBeCloseTo(atEvaluation, 9);
      const excludesZero = change.difference.lower! > 0 || change.difference.upper! < 0;
      expect(change.verdict === 'indistinguishable').toBe(!excludesZero);
    }
    // Column views come with the request; the rolling mean read from the online store is fresh.
    expect(record.staleness).toMatchObject({ events: 150, staleEvents: 0, share: 0, unknownEntityEvents: 0 });

    const expected = await pythonDrift(`
t = pd.read_csv('content/data/baseballdatabank/Teams.csv')
t = t[t.yearID >= 1961].copy()
t['wins_this_season'] = t.W * 162.0 / t.G
t['run_diff_per_game'] = (t.R - t.RA) * 1.0 / t.G
t['era'] = t.ERA
t['home_runs_per_game'] = t.HR * 1.0 / t.G
t['pythagorean_wins'] = 162.0 * t.R * t.R / (t.R * t.R + t.RA * t.RA)
ref = t[(t.yearID >= 1961) & (t.yearID <= 2011)]
cur = t[(t.yearID >= 2015) & (t.yearID <= 2019)]
for f in ['wins_this_season', 'run_diff_per_game', 'era', 'home_runs_per_game', 'pythagorean_wins']:
    out[f] = {'psi': psi(ref[f], cur[f]), 'ks': float(ks_2samp(ref[f], cur[f]).statistic)}
`);
    const drift = Object.fromEntries(record.drift!.features.map((f) => [f.feature, f]));
    for (const [feature, { psi, ks }] of Object.entries(expected)) {
      expect(drift[feature]!.psi, feature).toBeCloseTo(psi, 9);
      expect(drift[feature]!.ks, feature).toBeCloseTo(ks, 12);
    }
    // Home runs per game rose sharply after 2015: a major shift, so the verdict is "drifting".
    expect(drift.home_runs_per_game!.level).toBe('major');
    expect(record.status).toBe(performance.change.crps!.verdict === 'worse' ? 'degraded' : 'drifting');
    expect(record.findings.join(' ')).toMatch(/Major drift \(PSI ≥ 0\.25\): home_runs_per_game/);
    expect(await readMonitoringRecords(fixture.workspace, slug)).toHaveLength(2);

    // The site shows the task's own metrics, primary first, and one chart point per season.
    expect(monitoredScores(record).map((s) => s.metric)).toEqual(run.task.metrics);
    expect(monitoredScores(record)[0]).toMatchObject({
      primary: true,
      verdict: performance.change.crps!.verdict,
    });
    const chart = JSON.stringify(modelHealthSpec(record));
    expect(chart).toContain('"type":"ordinal","title":"Season"');
    expect(chart).toContain('"title":"events"');
  });

  test('a retrained challenger that cannot be shown better is refused, and the champion is pinned', async () => {
    const { record } = await retrainTaskProject(fixture.workspace, await load(slug), { now });
    const run = early[slug]!;
    expect(record.schemaVersion).toBe(2);
    expect(record.champion).toMatchObject({ runId: run.runId, modelId: 'ridge' });
    expect(record.challenger.runId).not.toBe(run.runId);
    // The challenger run tests on the last three seasons with a target, which the champion never saw.
    expect(record.heldOut).toMatchObject({ seasons: ['2017', '2018', '2019'], rows: 90 });
    expect(record.difference.value).toBeCloseTo(
      record.challenger.score.value - record.champion.score.value,
      12,
    );
    // Lower CRPS is better: promotion needs the whole interval below zero.
    expect(record.difference.upper!).toBeGreaterThanOrEqual(0);
    expect(record.verdict).toBe('keep');
    expect(record.reason).toMatch(/includes zero or favours the champion.*The champion stays/);
    const log = await readDeploymentLog(fixture.workspace, slug);
    expect(log.deployments).toEqual([
      expect.objectContaining({ by: 'retrain', decision: record.id, model: record.deployed }),
    ]);
    expect(record.deployed).toEqual({ runId: run.runId, runKey: run.key, modelId: 'ridge' });
    expect(await readDecisionRecords(fixture.workspace, slug)).toEqual([record]);

    const check = (await auditProject(fixture.workspace, slug)).checks.find(
      (c) => c.id === 'model-monitored',
    )!;
    expect(check.verdict).toBe('pass');
    expect(check.evidence[0]).toMatch(/^1 monitoring check\(s\) on new data; .* on 150 new events: CRPS /);
    expect(check.evidence[1]).toMatch(/^1 retrain decision\(s\); .* kept on 90 held-out events/);
  }, 120_000);

  test('the CLI monitors a version 2 project, and names an unknown one', async () => {
    const root = fixture.workspace.root;
    const result = await mlfolio(root, ['monitor', slug, '--data-until', cutoff[slug]]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/model health NO-NEW-DATA \(ridge of run /);
    const unknown = await mlfolio(root, ['retrain', 'no-such-project']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/E_PROJECT_UNKNOWN[\s\S]*no-such-project/);
  }, 60_000);
});

describe('monitoring thresholds declared in the project file', () => {
  const slug = regressionSlug;
  const specFile = () => projectPaths(fixture.workspace, slug).specFile;

  test('decide the drift levels and the verdict, and leave the run untouched', async () => {
    const before = await load(slug);
    const spec = parse(await readFile(specFile(), 'utf8'));
    // Above the home-run shift's PSI (1.86): what was a major drift is now a moderate one.
    await writeFile(specFile(), stringify({ ...spec, monitoring: { psi: { moderate: 0.1, major: 2 } } }));
    const project = await load(slug);
    expect(project.normalisedSha256).toBe(before.normalisedSha256);
    const { record } = await monitorTaskProject(fixture.workspace, project, { now });
    expect(record.thresholds).toEqual({ psiModerate: 0.1, psiMajor: 2, staleShare: 0.1 });
    const homeRuns = record.drift!.features.find((f) => f.feature === 'home_runs_per_game')!;
    expect(homeRuns.psi).toBeGreaterThan(1.5);
    expect(homeRuns.level).toBe('moderate');
    expect(record.status).toBe(record.performance!.change.crps!.verdict === 'worse' ? 'degraded' : 'watch');

    await writeFile(specFile(), stringify({ ...spec, monitoring: { psi: { moderate: 0.3, major: 0.2 } } }));
    const error = (await load(slug).catch((e: unknown) => e)) as MlfolioError;
    expect(error.code).toBe('E_PROJECT_FILE_INVALID');
    expect(error.message).toMatch(/monitoring\.psi.*psi\.moderate must be below psi\.major/s);
    await writeFile(specFile(), stringify(spec));
  });
});

describe('monitoring and retraining a binary project (international home wins)', () => {
  const slug = binarySlug;

  test('new matches: drift matches scipy, and a share of features would be served stale', async () => {
    const { record } = await monitorTaskProject(fixture.workspace, await load(slug), { now });
    expect(record.task).toEqual({ kind: 'binary', target: 'home side wins' });
    expect(record.current!.from > early[slug]!.split.test.to).toBe(true);
    const performance = record.performance!;
    expect(performance.primaryMetric).toBe('log_loss');
    expect(Object.keys(performance.current).sort()).toEqual(['accuracy', 'auc', 'brier', 'log_loss']);
    expect(performance.windowUnit).toBe('month');
    expect(performance.windows.every((w) => w.rows >= 50)).toBe(true);
    expect(performance.windows.reduce((sum, w) => sum + w.rows, 0)).toBe(record.current!.rows);
    const staleness = record.staleness!;
    expect(staleness.events).toBe(record.current!.rows);
    expect(staleness.share).toBeCloseTo(staleness.staleEvents / staleness.events, 12);
    // Two-year rolling goals go stale for sides that have not played for two years.
    expect(staleness.staleEvents).toBeGreaterThan(0);
    expect(staleness.features.map((f) => f.feature)).toContain('goals_scored_home');
    if (staleness.share > 0.1) expect(record.status).not.toBe('healthy');

    const current = record.current!;
    const expected = await pythonDrift(`
m = pd.read_csv('content/data/international-results/results.csv.gz')
m = m[(m.date >= '2016-01-01') & m.home_score.notna() & m.away_score.notna()].copy()
m['neutral_venue'] = m.neutral.astype(str).str.upper().eq('TRUE').astype(float)
ref = m[(m.date >= '${record.reference.from}') & (m.date <= '${record.reference.to}')]
cur = m[(m.date >= '${current.from}') & (m.date <= '${current.to}')]
out['rows'] = {'psi': len(ref), 'ks': len(cur)}
out['neutral_venue'] = {'psi': psi(ref.neutral_venue, cur.neutral_venue), 'ks': float(ks_2samp(ref.neutral_venue, cur.neutral_venue).statistic)}
`);
    expect(expected.rows).toEqual({ psi: record.reference.rows, ks: current.rows });
    const neutral = record.drift!.features.find((f) => f.feature === 'neutral_venue')!;
    expect(neutral.psi).toBeCloseTo(expected.neutral_venue!.psi, 9);
    expect(neutral.ks).toBeCloseTo(expected.neutral_venue!.ks, 12);
  }, 120_000);

  test('a challenger clearly better than the deployed class prior is promoted, and serve follows it', async () => {
    const run = early[slug]!;
    const prior = { runId: run.runId, runKey: run.key, modelId: 'prior' };
    await appendDeployment(fixture.workspace, slug, {
      at: now().toISOString(),
      model: prior,
      by: 'manual',
      reason: 'The class prior deployed by hand, as a weak champion.',
    });
    const { record } = await retrainTaskProject(fixture.workspace, await load(slug), { now });
    expect(record.champion).toMatchObject(prior);
    expect(record.challenger.modelId).toBe('logreg');
    expect(record.difference.upper!).toBeLessThan(0);
    expect(record.verdict).toBe('promote');
    expect(record.reason).toMatch(/The challenger is better on Log loss/);
    expect(record.deployed).toEqual({
      runId: record.challenger.runId,
      runKey: record.challenger.runKey,
      modelId: 'logreg',
    });
    const log = await readDeploymentLog(fixture.workspace, slug);
    expect(log.deployments.at(-1)).toMatchObject({
      by: 'retrain',
      decision: record.id,
      model: record.deployed,
    });
    expect((await resolveDeployedTaskModel(fixture.workspace, slug)).ref).toEqual(record.deployed);

    const server = await serveDeclaredProject(fixture.workspace, slug, { port: 0 });
    try {
      const info = await got(`${server.url}/v1/model`).json<{ model: { runId: string; modelId: string } }>();
      expect(info.model).toMatchObject({ runId: record.deployed.runId, modelId: 'logreg' });
    } finally {
      await server.app.close();
    }

    // The same retrain again has nothing new: the challenger is the champion itself.
    const again = await retrainTaskProject(fixture.workspace, await load(slug), { now });
    expect(again.record.verdict).toBe('keep');
    expect(again.record.reason).toMatch(/challenger is the champion itself/);
    expect(again.record.difference).toEqual({ value: 0, lower: 0, upper: 0 });
    expect(await readDecisionRecords(fixture.workspace, slug)).toHaveLength(2);
  }, 180_000);

  test('a project with no run yet gets a clear error from both commands', async () => {
    const fresh = 'not-run-yet';
    await mkdir(projectPaths(fixture.workspace, fresh).dir, { recursive: true });
    await cp(projectPaths(fixture.workspace, slug).specFile, projectPaths(fixture.workspace, fresh).specFile);
    const project = await load(fresh);
    for (const attempt of [
      monitorTaskProject(fixture.workspace, project, { now }),
      retrainTaskProject(fixture.workspace, project, { now }),
    ]) {
      const error = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MlfolioError);
      expect((error as MlfolioError).code).toBe('E_NO_RUN');
      expect((error as MlfolioError).message).toContain(fresh);
    }
  });
});

describe.each([
  { slug: countSlug, kind: 'count', primary: 'poisson_deviance', candidate: 'poisson' },
  { slug: ordinalSlug, kind: 'ordinal', primary: 'rps', candidate: 'ordinal' },
] as const)('monitoring and retraining any task: $kind', ({ slug, kind, primary, candidate }) => {
  test('scores the new events with the task’s own metrics, and retrains by the same rule', async () => {
    const run = early[slug]!;
    expect(run.task.kind).toBe(kind);
    const { record } = await monitorTaskProject(fixture.workspace, await load(slug), { now });
    const performance = record.performance!;
    expect(record.task!.kind).toBe(kind);
    expect(performance.primaryMetric).toBe(primary);
    expect(Object.keys(performance.current)).toEqual(run.task.metrics);
    const recorded = run.models.find((m) => m.id === candidate)!.metrics;
    for (const metric of run.task.metrics) {
      expect(performance.current[metric]!.value - performance.change[metric]!.difference.value).toBeCloseTo(
        recorded[metric]!.value,
        9,
      );
    }
    expect(record.drift!.features.length).toBeGreaterThan(0);

    const { record: decision } = await retrainTaskProject(fixture.workspace, await load(slug), { now });
    expect(decision.task!.kind).toBe(kind);
    expect(decision.metric).toBe(primary);
    expect(decision.champion).toMatchObject({ runId: run.runId, modelId: candidate });
    // Lower is better for both: promoted exactly when the whole interval lies below zero.
    expect(decision.verdict).toBe(decision.difference.upper! < 0 ? 'promote' : 'keep');
    expect((await resolveDeployedTaskModel(fixture.workspace, slug)).ref).toEqual(decision.deployed);
  }, 120_000);
});
