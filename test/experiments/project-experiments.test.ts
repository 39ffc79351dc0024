import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { assign } from '../../experiments/assignment.ts';
import { replayExperiment } from '../../experiments/experiment-replay.ts';
import { readExposureLog } from '../../experiments/exposure-log.ts';
import { startExperiment } from '../../experiments/pre-registration.ts';
import {
  analyzeProjectExperiment,
  latestVersion2Run,
  readExperimentReports,
} from '../../experiments/project-analysis.ts';
import { experimentPaths, projectExperiment } from '../../experiments/project-experiments.ts';
import { planProjectExperiment } from '../../experiments/project-plan.ts';
import { expectedScore } from '../../experiments/project-scorers.ts';
import { startFeatureReplayServer } from '../../experiments/replay-server.ts';
import { readRunEvents } from '../../experiments/run-events.ts';
import { serveProjectWithExperiments } from '../../experiments/serve-experiments.ts';
import { experimentAnalysed } from '../../learning/audit/checks/experiment-checks.ts';
import { gatherEvidence } from '../../learning/audit/project-evidence.ts';
import { forecastWith, type TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import { parseProjectText } from '../../portfolio/project-file/load.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { experimentExposuresSpec } from '../../src/charts/experiment-exposures.ts';
import { mlfolio } from '../e2e/workspace.ts';
import { toyExperiment, toyProjectFile, toySlug, toyWorkspace } from './fixtures/toy-project.ts';

const parse = (experiments: unknown[]) =>
  parseProjectText(toySlug, stringify(toyProjectFile(experiments)), 'content/projects/toy/project.yaml');

describe('experiments declared in a project file', () => {
  it('load with their defaults and leave the run’s hash as it was without them', () => {
    const withOne = parse([toyExperiment]);
    expect(withOne.file.experiments?.[0]?.mode).toBe('ab');
    expect(withOne.normalisedSha256).toBe(parse([]).normalisedSha256);
  });

  it.each([
    [
      'an arm naming an unknown model, with the nearest id',
      {
        arms: [
          { model: 'elo', control: true, traffic: 50 },
          { model: 'logregg', traffic: 50 },
        ],
      },
      /experiments\[0\]\.arms\[1\]\.model: unknown model "logregg"\. Did you mean "logreg"\?/,
    ],
    [
      'a split not summing to 100',
      {
        arms: [
          { model: 'elo', control: true, traffic: 50 },
          { model: 'logreg', traffic: 40 },
        ],
      },
      /experiments\[0\]\.arms\[\]\.traffic: the split must sum to 100; received 50 \+ 40 = 90/,
    ],
    [
      'an MDE of zero',
      { minimumDetectableEffect: 0 },
      /experiments\[0\]\.minimumDetectableEffect: must be a non-zero/,
    ],
    [
      'a metric the project does not declare',
      { primaryMetric: { metric: 'log-loss', better: 'lower' } },
      /experiments\[0\]\.primaryMetric\.metric: unknown metric "log-loss"\. Did you mean "log_loss"\?/,
    ],
    [
      'a covariate model the project lacks',
      { cupedCovariate: 'expected:elo2' },
      /experiments\[0\]\.cupedCovariate: "expected:elo2" names no model of the project\. Did you mean "expected:elo"\?/,
    ],
  ])('refuse %s', (_, change, message) => {
    const error = (() => {
      try {
        parse([{ ...toyExperiment, ...change }]);
      } catch (caught) {
        return caught as { code: string; message: string };
      }
      throw new Error('expected the project to be refused');
    })();
    expect(error.code).toBe('E_PROJECT_FILE_INVALID');
    expect(error.message).toMatch(message);
  });

  it('refuse AUC (no per-unit value), a repeated key and overlapping experiments of one layer', () => {
    expect(() =>
      parse([{ ...toyExperiment, secondaryMetrics: [{ metric: 'auc', better: 'higher' }] }]),
    ).toThrow(/unknown metric "auc"/);
    expect(() => parse([toyExperiment, toyExperiment])).toThrow(
      /experiments\[1\]\.key: "logreg-vs-elo" is declared twice/,
    );
    expect(() => parse([toyExperiment, { ...toyExperiment, key: 'second' }])).toThrow(
      /"logreg-vs-elo" and "second" share the layer and seed with overlapping ranges/,
    );
  });

  it('name the declared keys when asked for an unknown one', () => {
    expect(() => projectExperiment(parse([toyExperiment]), 'logreg-vs-el')).toThrow(
      expect.objectContaining({ code: 'E_EXPERIMENT_UNKNOWN', hint: 'Did you mean "logreg-vs-elo"?' }),
    );
  });
});

describe('an experiment replayed through the server over a held-out season', () => {
  let root: string;
  let workspace: Workspace;
  let project: LoadedProject;
  let runDir: string;

  beforeAll(async () => {
    ({ root, workspace, project } = await toyWorkspace());
    runDir = join(root, 'content', 'projects', toySlug, 'runs');
  }, 180_000);
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('fails the audit’s experimentation check before any experiment is analysed', async () => {
    const outcome = experimentAnalysed.run(await gatherEvidence(workspace, toySlug));
    expect(outcome.verdict).toBe('fail');
    expect(outcome.evidence).toEqual([
      'No analysed experiment: the project compares its models offline only.',
    ]);
  });

  it('refuses to replay an experiment that was not started', async () => {
    await expect(
      replayExperiment(workspace, project, 'logreg-vs-elo', startFeatureReplayServer),
    ).rejects.toMatchObject({
      code: 'E_EXPERIMENT_NOT_STARTED',
    });
  });

  it('plans from the run’s held-out events: variance, the covariate’s correlation, units per week', async () => {
    const plan = await planProjectExperiment(workspace, project, projectExperiment(project, 'logreg-vs-elo'));
    expect(plan.inputs.source).toMatch(/held-out 2024 of run/);
    expect(plan.inputs.variance).toBeGreaterThan(0);
    expect(plan.inputs.cupedCorrelation).not.toBe(0);
    expect(plan.inputs.unitsPerWeek).toBeGreaterThan(1);
    expect(plan.designs.map((d) => `${d.design}${d.cuped ? '+cuped' : ''}`)).toEqual([
      'ab',
      'ab+cuped',
      'paired',
    ]);
  });

  it('sends every held-out event in time order, logs every answer with the event’s date, and analyses it', async () => {
    const experiment = projectExperiment(project, 'logreg-vs-elo');
    const paths = experimentPaths(workspace, toySlug, experiment.key);
    await startExperiment(paths.registry, experiment, new Date('2024-01-15T09:00:00Z'));
    const result = await replayExperiment(workspace, project, experiment.key, startFeatureReplayServer, {
      now: () => new Date('2025-01-01T00:00:00Z'),
    });
    const run = await latestVersion2Run(workspace, toySlug);
    const { events } = await readRunEvents(workspace, toySlug, run, 'test');
    expect(events.length).toBeGreaterThan(50);
    expect(result.sent).toBe(events.length);
    expect(result.answered).toBe(events.length);
    expect(result.logged).toBe(events.length);

    const { exposures } = await readExposureLog(paths.exposures);
    expect(exposures.map((e) => e.unit)).toEqual(events.map((e) => e.id));
    const artifacts = Object.fromEntries(
      await Promise.all(
        ['elo', 'logreg'].map(async (id) => [
          id,
          JSON.parse(await readFile(join(runDir, run.runId, 'models', `${id}.json`), 'utf8')) as TaskArtifact,
        ]),
      ),
    ) as Record<string, TaskArtifact>;
    const task = { kind: 'binary' as const, classes: ['false', 'true'] };
    exposures.forEach((exposure, i) => {
      const event = events[i]!;
      // The arm is the assignment's, the time the event's, the prediction the run's own forecast.
      expect(exposure.arm).toBe((assign(experiment, event.id) as { arm: string }).arm);
      expect(exposure.at).toBe(new Date(event.time).toISOString());
      expect(exposure.featuresAsOf).toBe(event.time);
      const artifact = artifacts[exposure.arm]!;
      const forecast = forecastWith(
        artifact,
        artifact.featureNames.map((name) => event.features[name]!),
      ) as { kind: 'probabilities'; p: readonly number[] };
      expect(exposure.prediction).toEqual({ probabilities: { false: forecast.p[0], true: forecast.p[1] } });
      const elo = artifacts.elo!;
      const eloForecast = forecastWith(
        elo,
        elo.featureNames.map((name) => event.features[name]!),
      );
      expect(exposure.covariates?.['expected:elo']).toBeCloseTo(
        expectedScore('log_loss', task, eloForecast),
        12,
      );
    });

    const outcomes = (await readFile(paths.outcomes, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(outcomes).toEqual(events.map((e) => ({ unit: e.id, outcome: e.outcome })));

    const analysis = result.report.analysis;
    expect(analysis.exposedUnits).toEqual(result.arms);
    expect(analysis.sampleRatio.mismatch).toBe(false);
    const primary = analysis.arms[0]!.metrics.find((m) => m.role === 'primary')!;
    expect(primary.method).toBe('cuped');
    expect(primary.cuped?.covariate).toBe('expected:elo');
    expect(primary.cuped?.varianceReduction).toBeGreaterThan(0);
    // A look at the end of each day of entries, from the first day both arms have two units.
    const days = new Set(events.map((e) => e.time)).size;
    expect(analysis.arms[0]!.sequential.alwaysValid?.looks).toBeLessThanOrEqual(days);
    expect(analysis.arms[0]!.sequential.alwaysValid?.looks).toBeGreaterThan(days - 5);
    expect(result.report.registration.startedAt).toBe('2024-01-15T09:00:00.000Z');
    expect(result.report.unitsByDay.reduce((sum, d) => sum + d.units, 0)).toBe(events.length);
    expect(await readExperimentReports(workspace, toySlug)).toEqual([result.report]);
  });

  it('is the audit’s evidence of experimentation once analysed as registered, and not when tampered with', async () => {
    const verdict = async () => experimentAnalysed.run(await gatherEvidence(workspace, toySlug));
    const passed = await verdict();
    expect(passed.verdict).toBe('pass');
    expect(passed.evidence.join(' ')).toMatch(
      /Experiment logreg-vs-elo: pre-registered 2024-01-15 .* units analysed/,
    );
    expect(passed.evidence.join(' ')).toMatch(/Sample-ratio check χ² = .*Decision: /);

    const file = experimentPaths(workspace, toySlug, 'logreg-vs-elo').registration;
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace(toyExperiment.hypothesis, 'A hypothesis written after the results.'),
    );
    const tampered = await verdict();
    expect(tampered.verdict).toBe('fail');
    expect(tampered.evidence.join(' ')).toContain('does not match its recorded hash');
    await writeFile(file, original);
  });

  it('refuses a second replay, and leaves the log as it was', async () => {
    const paths = experimentPaths(workspace, toySlug, 'logreg-vs-elo');
    const before = await readFile(paths.exposures, 'utf8');
    await expect(
      replayExperiment(workspace, project, 'logreg-vs-elo', startFeatureReplayServer),
    ).rejects.toMatchObject({
      code: 'E_EXPOSURES_EXIST',
    });
    expect(await readFile(paths.exposures, 'utf8')).toBe(before);
  });

  it('answers `mlfolio experiment <action> <project> <key>` from the project’s records, bad input a clear error', async () => {
    const status = await mlfolio(root, ['experiment', 'status', toySlug, 'logreg-vs-elo']);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/Units per arm: elo \d+, logreg \d+/);
    const again = await mlfolio(root, ['experiment', 'start', toySlug, 'logreg-vs-elo']);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('E_EXPERIMENT_ALREADY_STARTED');
    const unknown = await mlfolio(root, ['experiment', 'analyze', toySlug, 'logreg-vs-el']);
    expect(unknown.stderr).toContain('Did you mean "logreg-vs-elo"?');
  });

  it('draws the exposures chart as each arm’s cumulative units, ending at its total', async () => {
    const [report] = await readExperimentReports(workspace, toySlug);
    const spec = experimentExposuresSpec(report!) as { data: { values: { arm: string; units: number }[] } };
    for (const [arm, total] of Object.entries(report!.analysis.exposedUnits)) {
      const series = spec.data.values.filter((v) => v.arm === arm).map((v) => v.units);
      expect(series).toEqual([...series].sort((a, b) => a - b));
      expect(series.at(-1)).toBe(total);
    }
  });

  it('refuses to analyse units with no outcome yet, and keeps their exposures', async () => {
    const experiment = { ...projectExperiment(project, 'logreg-vs-elo'), key: 'future-only' };
    const paths = experimentPaths(workspace, toySlug, 'future-only');
    const spec = toyProjectFile([
      toyExperiment,
      { ...toyExperiment, key: 'future-only', layer: { name: 'other' } },
    ]);
    await writeFile(join(root, 'content', 'projects', toySlug, 'project.yaml'), stringify(spec));
    const reloaded = parseProjectText(toySlug, stringify(spec), 'project.yaml');
    const declared = projectExperiment(reloaded, 'future-only');
    expect(declared.key).toBe(experiment.key);
    await startExperiment(paths.registry, declared);
    const line = `${JSON.stringify({ experiment: 'future-only', unit: 'fixture-not-played', arm: 'elo', role: 'served', at: '2030-01-01T00:00:00.000Z', modelVersion: 'x/elo', prediction: { probabilities: { false: 0.5, true: 0.5 } }, latencyMs: 1 })}\n`;
    await writeFile(paths.exposures, line);
    await expect(analyzeProjectExperiment(workspace, reloaded, 'future-only')).rejects.toMatchObject({
      code: 'E_NO_OUTCOMES',
    });
    expect(await readFile(paths.exposures, 'utf8')).toBe(line);
  });

  it('is mounted by the project’s server: arms from the deployed run, bad input a 400 that is not logged', async () => {
    const spec = toyProjectFile([
      toyExperiment,
      { ...toyExperiment, key: 'not-started', layer: { name: 'third' } },
    ]);
    const text = stringify(spec);
    await writeFile(join(root, 'content', 'projects', toySlug, 'project.yaml'), text);
    const reloaded = parseProjectText(toySlug, text, 'project.yaml');
    const running = await serveProjectWithExperiments(workspace, reloaded, { port: 0 }, { logger: false });
    const paths = experimentPaths(workspace, toySlug, 'logreg-vs-elo');
    try {
      expect(running.experiments.experiments.map((e) => e.experiment.key)).toEqual(['logreg-vs-elo']);
      expect(running.experiments.skipped).toEqual([
        { key: 'not-started', reason: `not started (\`mlfolio experiment start ${toySlug} not-started\`)` },
      ]);
      const before = (await readExposureLog(paths.exposures)).exposures.length;
      const post = async (body: unknown) => {
        const response = await fetch(`${running.url}/experiments/logreg-vs-elo/predictions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: response.status, body: (await response.json()) as Record<string, unknown> };
      };
      const event = { time: '2025-06-01', entities: { home: 'Avon', away: 'Usk' } };
      const units = ['live-1', 'live-2', 'live-3', 'live-4'];
      for (const unit of units) {
        const { status, body } = await post({ unit, input: { event } });
        expect(status, JSON.stringify(body)).toBe(200);
        expect(body.arm).toBe(
          (assign(projectExperiment(reloaded, 'logreg-vs-elo'), unit) as { arm: string }).arm,
        );
        expect(body.modelVersion).toMatch(new RegExp(`/${body.arm}$`));
      }
      const bad = await post({ unit: 'live-5', input: { event: { ...event, entities: { home: 'Avon' } } } });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('input.event.entities');
      expect((await post({ unit: 'live-6', input: { event }, at: '2025-06-01' })).status).toBe(400);
      const { exposures } = await readExposureLog(paths.exposures);
      expect(exposures.slice(before).map((e) => e.unit)).toEqual(units);
      expect(exposures.at(-1)!.covariates?.['expected:elo']).toBeGreaterThan(0);
    } finally {
      await running.app.close();
    }
  });
});
