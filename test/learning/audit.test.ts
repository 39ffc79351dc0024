import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../cli/main.ts';
import { auditProject, type ProjectAudit } from '../../learning/audit/audit-project.ts';
import type { CheckId } from '../../learning/audit/check-catalogue.ts';
import { walkthroughFile } from '../../learning/audit/project-evidence.ts';
import { runAnyProject } from '../../pipelines/run-any-project.ts';
import { type RunRecord, runFileName } from '../../pipelines/runs/run-record.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { projectPaths, type Workspace } from '../../portfolio/workspace.ts';
import { copyWorkspace, tempWorkspace } from './temp-workspace.ts';

const slug = 'football-match-outcomes';
let base: Workspace & { dispose(): Promise<void> };
let runDir: string;
const copies: (() => Promise<void>)[] = [];

/** Runs the example project on the engine, as `mlfolio run` does. */
const runExample = async (ws: Workspace, now = new Date('2026-11-22T10:00:00Z')) =>
  runAnyProject(ws, await loadAnyProject(ws, slug), { now: () => now });

beforeAll(async () => {
  base = await tempWorkspace();
  runDir = (await runExample(base)).runDir;
}, 600_000);
afterAll(() => base.dispose());
afterEach(async () => {
  for (const dispose of copies.splice(0)) await dispose();
  vi.restoreAllMocks();
});

async function fresh() {
  const ws = await copyWorkspace(base);
  copies.push(ws.dispose);
  const run = join(projectPaths(ws, slug).runsDir, runDir.split(/[/\\]/).at(-1)!);
  return { ws, run };
}

const verdict = (audit: ProjectAudit, id: CheckId) => audit.checks.find((c) => c.id === id)!;

async function editRun(run: string, edit: (record: Record<string, unknown> & RunRecord) => void) {
  const file = join(run, runFileName);
  const record = JSON.parse(await readFile(file, 'utf8'));
  edit(record);
  await writeFile(file, JSON.stringify(record));
}

const writeup = `## Approach

Every feature of a match comes from matches on earlier dates only: Elo ratings, recent form, goal
difference and rest. I began with two baselines, the outcome frequencies and an Elo ordered logit.

## Results

The best model scores <Metric model="best" name="rps" /> on the held-out season, close to the Elo
baseline; the difference sits inside the interval, so one season cannot separate them.

## Trade-offs

The logistic regression is about as accurate as the Elo baseline, a little slower, and harder to
explain; the neural network costs more latency and size and buys nothing on one season of data.

## Impact

A tipster who follows the model instead of always picking the home side would gain a few points a
season; the interval on that gain still contains zero, so I would not promise it to anyone yet.

## Error analysis

The model is least reliable for draws, which it rarely favours, and for the smaller league, where a
season holds fewer matches and ratings take longer to settle after promotion and relegation.

## Limitations

One test season is a small sample, the data has five leagues only, and there are no bookmaker odds,
which are the real status quo for anyone betting on these matches with real money at stake.

## What I would do next

Add odds as a benchmark, model goals rather than outcomes, and backtest over every season to see
whether the ranking of the models holds up from one season to the next one.
`;

const walkthrough = `## 30-second pitch

I forecast football results from public data and checked, honestly, whether a model beats the simple
rules fans use. It is calibrated, served in the page, and every number comes from a recorded run.

## 2-minute story

${'I wanted a question with a real status quo, so I chose match forecasts, where everyone has an opinion and bookmakers set a hard benchmark. '.repeat(4)}

## Deep-dive questions

### Why a later season as the test set?

Because the model will be used on future matches; a random split lets the future leak into the
features. The held-out season scores <Metric model="best" name="rps" /> for the best model.

### Is it better than Elo?

Not distinguishably on one season: the difference has an interval that contains zero, which is why
the writeup leads with calibration and honesty rather than a claim of superiority.

### What would production need?

A daily job to update ratings, the same forward pass in the server and the page, monitoring of
calibration drift per league, and a retraining cadence tied to the season calendar.
`;

describe('mlfolio audit on the example project', () => {
  it('passes each check whose evidence the run holds and fails the others with a hint', async () => {
    const { ws } = await fresh();
    const audit = await auditProject(ws, slug);
    const run = JSON.parse(await readFile(join(runDir, runFileName), 'utf8')) as RunRecord;
    const expected: Partial<Record<CheckId, boolean>> = {
      'baseline-compared': true,
      'leakage-safe-split': true,
      'trade-offs-measured': true,
      'labels-accounted': true,
      'provenance-licence': true,
      'reproducible-run': true,
      'inference-path': true,
      'features-point-in-time': run.featureReference !== undefined,
      'intervals-reported': run.models.every((m) => m.metrics.rps?.lower !== undefined),
      'calibration-checked': Boolean(run.calibration?.length || run.calibrationError),
      'comparison-tested': run.comparisons !== undefined,
      'backtest-run': (run.backtest?.length ?? 0) >= 2,
      'slices-examined': (run.slices?.length ?? 0) >= 2,
      'explanation-present': Boolean(run.importance || run.partialDependence),
      'impact-quantified': run.impact !== undefined,
    };
    for (const [id, present] of Object.entries(expected)) {
      expect({ id, verdict: verdict(audit, id as CheckId).verdict }).toEqual({
        id,
        verdict: present ? 'pass' : 'fail',
      });
    }
    for (const check of audit.checks) {
      if (check.verdict === 'fail') expect(check.hint, check.id).toMatch(/\w/);
      expect(check.evidence.length, check.id).toBeGreaterThan(0);
    }
    expect(audit.runId).toBe(run.runId);
    expect(verdict(audit, 'baseline-compared').evidence.join(' ')).toContain('elo');
  });

  it('fails reproducible-run when the lockfile is removed', async () => {
    const { ws } = await fresh();
    expect(verdict(await auditProject(ws, slug), 'reproducible-run').verdict).toBe('pass');
    await rm(join(ws.root, 'package-lock.json'));
    const noLock = verdict(await auditProject(ws, slug), 'reproducible-run');
    expect(noLock.verdict).toBe('fail');
    expect(noLock.evidence.join(' ')).toContain('no lockfile');
    expect(noLock.hint).toContain('package-lock.json');
  });

  it('keeps reproducible-run passing for a comment or a default written out, as `mlfolio run` reuses the run', async () => {
    const { ws } = await fresh();
    const project = await loadAnyProject(ws, slug);
    await writeFile(
      project.specFile,
      `# a comment the pipeline never reads\n${project.specText.replace(/^seed: 42\n/m, '')}`,
    );
    expect(verdict(await auditProject(ws, slug), 'reproducible-run').verdict).toBe('pass');
    const rerun = await runExample(ws);
    expect(rerun.reused).toBe(true);
  });

  it('fails reproducible-run when the project changes after the run, and `mlfolio run` clears it', async () => {
    const { ws } = await fresh();
    const project = await loadAnyProject(ws, slug);
    await writeFile(project.specFile, project.specText.replace(/^title: .*$/m, 'title: Football results'));
    const stale = verdict(await auditProject(ws, slug), 'reproducible-run');
    expect(stale.verdict).toBe('fail');
    expect(stale.hint).toBe(
      `Run \`mlfolio run ${slug}\` so the published numbers come from the current project file.`,
    );
    // The title enters no stage, so every stage is reused; the run still records the project it used.
    const rerun = await runExample(ws, new Date('2026-11-22T11:00:00Z'));
    expect(rerun.reused).toBe(false);
    expect(rerun.record.stages.every((stage) => stage.cached)).toBe(true);
    expect(verdict(await auditProject(ws, slug), 'reproducible-run').verdict).toBe('pass');
  });

  it('fails intervals-reported and calibration-checked when the run loses that evidence', async () => {
    const { ws, run } = await fresh();
    await editRun(run, (record) => {
      for (const model of record.models)
        for (const metric of Object.values(model.metrics)) delete metric.lower;
      delete record.calibration;
      delete record.calibrationByModel;
      delete record.calibrationError;
    });
    const audit = await auditProject(ws, slug);
    expect(verdict(audit, 'intervals-reported')).toMatchObject({
      verdict: 'fail',
      hint: expect.stringContaining('intervals'),
    });
    expect(verdict(audit, 'calibration-checked')).toMatchObject({
      verdict: 'fail',
      hint: expect.stringContaining('calibration'),
    });
    expect(verdict(audit, 'baseline-compared').verdict).toBe('pass');
  });

  it('passes the evaluation, explanation and impact checks once the run records those sections', async () => {
    const { ws, run } = await fresh();
    await editRun(run, (record) => {
      const metric = record.task.primaryMetric;
      const candidate = record.models.find((m) => !m.baseline)!.id;
      const scores = (value: number) => ({
        [candidate]: { [metric]: value },
        [record.bestBaseline]: { [metric]: value + 0.01 },
      });
      record.bestCandidate = candidate;
      record.comparisons = [
        {
          model: candidate,
          baseline: record.bestBaseline,
          metric,
          difference: { value: -0.002, lower: -0.004, upper: 0.001 },
          distinguishable: false,
        },
      ];
      record.backtest = [
        { trainSeasons: ['2013-14'], testSeason: '2014-15', rows: 1600, metrics: scores(0.2) },
        { trainSeasons: ['2013-14', '2014-15'], testSeason: '2015-16', rows: 1600, metrics: scores(0.19) },
      ];
      record.slices = ['en.1', 'de.1'].map((value, i) => ({
        dimension: 'league',
        value,
        rows: 300,
        metrics: { [record.best]: { [metric]: { value: 0.19 + i / 100 } } },
      }));
      record.importance = {
        model: candidate,
        metric,
        method: 'permutation importance',
        features: [{ feature: 'elo_diff', increase: { value: 0.01, lower: 0.008, upper: 0.012 } }],
      };
      record.impact = {
        decision: 'which result to tip',
        unit: 'points',
        statusQuo: 'always tip the home side',
        policies: [],
        gains: [
          {
            policy: candidate,
            over: 'home',
            difference: { value: 12, lower: 3, upper: 21 },
            distinguishable: true,
          },
        ],
        headline: 'Tipping with the model scores 12 more points a season than always tipping the home side.',
      };
    });
    const audit = await auditProject(ws, slug);
    for (const id of [
      'comparison-tested',
      'backtest-run',
      'slices-examined',
      'explanation-present',
      'impact-quantified',
    ] as const) {
      expect({ id, verdict: verdict(audit, id).verdict }).toEqual({ id, verdict: 'pass' });
    }
    expect(verdict(audit, 'comparison-tested').evidence.join(' ')).toContain('cannot be told apart');
    expect(verdict(audit, 'backtest-run').evidence.join(' ')).toContain('in 2 of 2 folds');
    expect(verdict(audit, 'slices-examined').evidence.join(' ')).toContain('Weakest slice for');
    expect(verdict(audit, 'impact-quantified').evidence[0]).toContain('12 more points');
  });

  it('fails leakage-safe-split when the test period overlaps training', async () => {
    const { ws, run } = await fresh();
    await editRun(run, (record) => {
      record.split.train.seasons.push(record.split.test.seasons[0]!);
      record.split.train.to = record.split.test.to;
    });
    const check = verdict(await auditProject(ws, slug), 'leakage-safe-split');
    expect(check.verdict).toBe('fail');
    expect(check.evidence.join(' ')).toMatch(/in both the training and the test period/);
  });

  it("passes inference-path on the project's own serving: the server and the demo page of its latest run", async () => {
    const { ws } = await fresh();
    const check = verdict(await auditProject(ws, slug), 'inference-path');
    expect(check.verdict).toBe('pass');
    expect(check.evidence.join(' ')).toContain(
      `an HTTP endpoint (\`mlfolio serve ${slug}\`) and an in-browser demo (the site's demo page, projects/${slug}/demo/)`,
    );
  });

  it('fails inference-path when no surface can load a model of the latest run, saying why for each', async () => {
    const { ws, run } = await fresh();
    await rm(join(run, 'online-store.json'));
    const check = verdict(await auditProject(ws, slug), 'inference-path');
    expect(check.verdict).toBe('fail');
    expect(check.hint).toContain(`mlfolio serve ${slug}`);
    expect(check.evidence.join(' ')).toMatch(
      /`mlfolio serve football-match-outcomes` cannot serve it: The online store .*online-store\.json could not be read/,
    );
    expect(check.evidence.join(' ')).toContain("The site's demo page cannot load");
  });

  it('credits only the demo when the server is promoted to a model of an older run', async () => {
    const { ws, run } = await fresh();
    const older = { runId: '20250101T000000Z-01d01d00', runKey: 'an older key', modelId: 'elo' };
    const olderDir = join(projectPaths(ws, slug).runsDir, older.runId);
    await cp(run, olderDir, { recursive: true });
    await editRun(olderDir, (record) => {
      record.runId = older.runId;
      record.key = older.runKey;
    });
    const log = join(projectPaths(ws, slug).dir, 'operations', 'deployments.json');
    await mkdir(dirname(log), { recursive: true });
    await writeFile(
      log,
      JSON.stringify({
        schemaVersion: 1,
        project: slug,
        deployments: [{ at: '2025-01-01T00:00:00Z', model: older, by: 'manual', reason: 'test' }],
      }),
    );
    const check = verdict(await auditProject(ws, slug), 'inference-path');
    expect(check.verdict).toBe('pass');
    expect(check.evidence.join(' ')).toContain('Served through an in-browser demo');
    expect(check.evidence.join(' ')).not.toContain('HTTP endpoint');
    expect(check.evidence.join(' ')).toContain(`serves model elo of run ${older.runId}`);
  });

  it('fails inference-path without a loadable artifact of the best model', async () => {
    const { ws, run } = await fresh();
    const record = JSON.parse(await readFile(join(run, runFileName), 'utf8')) as RunRecord;
    await rm(join(run, record.models.find((m) => m.id === record.best)!.artifact));
    const check = verdict(await auditProject(ws, slug), 'inference-path');
    expect(check.verdict).toBe('fail');
    expect(check.evidence.join(' ')).toContain('is missing');
  });

  it('passes the writeup and walkthrough checks once they are written, and names what a gap lacks', async () => {
    const { ws } = await fresh();
    const { writeupFile } = projectPaths(ws, slug);
    await writeFile(writeupFile, writeup);
    await writeFile(walkthroughFile(ws, slug), walkthrough);
    const complete = await auditProject(ws, slug);
    expect(verdict(complete, 'writeup-complete').verdict).toBe('pass');
    expect(verdict(complete, 'walkthrough-ready').verdict).toBe('pass');

    await writeFile(writeupFile, writeup.replace(/## Limitations[\s\S]*?(?=## What)/, ''));
    await writeFile(
      walkthroughFile(ws, slug),
      walkthrough.replace('<Metric model="best" name="rps" />', 'well'),
    );
    const gaps = await auditProject(ws, slug);
    expect(verdict(gaps, 'writeup-complete')).toMatchObject({ verdict: 'fail' });
    expect(verdict(gaps, 'writeup-complete').evidence).toContain('Missing: no "Limitations" section.');
    expect(verdict(gaps, 'walkthrough-ready').evidence.join(' ')).toContain('cites a recorded number');
  });

  it('exits with status 5 from the CLI when a check fails, and 2 for an unknown project', async () => {
    const { ws } = await fresh();
    vi.stubEnv('MLFOLIO_ROOT', ws.root);
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    await rm(walkthroughFile(ws, slug), { force: true });
    expect(await main(['audit', slug, '--json'])).toBe(5);
    const printed = JSON.parse(String(out.mock.calls[0]![0])) as ProjectAudit[];
    expect(printed[0]!.project).toBe(slug);
    expect(printed[0]!.checks.find((c) => c.id === 'walkthrough-ready')!.verdict).toBe('fail');
    expect(String(err.mock.calls.at(-1)![0])).toContain('E_AUDIT_FAILED');
    expect(await main(['audit', 'football-match-outcome'])).toBe(2);
    expect(String(err.mock.calls.at(-1)![0])).toContain('Did you mean "football-match-outcomes"?');
    vi.unstubAllEnvs();
  });
});
