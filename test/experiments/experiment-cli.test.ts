import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseExperiment } from '../../experiments/experiment-spec.ts';
import { mlfolio } from '../e2e/workspace.ts';
import { exampleExperiment, modelIds } from './experiment-example.ts';
import { simulateTraffic } from './fixtures/simulated-traffic.ts';

let directory: string;
const files = (name: string) => join(directory, name);
const spec = exampleExperiment({
  plannedUnits: 3000,
  cupedCovariate: 'baseline-entropy',
  secondaryMetrics: [{ metric: 'brier', better: 'lower' }],
});

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mlfolio-experiment-cli-'));
  const experiment = parseExperiment(spec, 'test', { modelIds });
  const { exposures, outcomes } = simulateTraffic(experiment, {
    units: 3000,
    days: 10,
    seed: 3,
    noise: { 'elo-logistic': 0.15, 'gradient-boosting': 0.04 },
  });
  await writeFile(files('experiment.yaml'), stringify(spec));
  await writeFile(files('exposures.jsonl'), exposures.map((e) => `${JSON.stringify(e)}\n`).join(''));
  await writeFile(files('outcomes.jsonl'), outcomes.map((o) => `${JSON.stringify(o)}\n`).join(''));
  await writeFile(files('empty.jsonl'), '');
  const history = Array.from({ length: 400 }, (_, i) => ({
    at: new Date(Date.parse('2025-08-01') + i * 43_200_000).toISOString(),
    control: 0.6 + ((i * 37) % 100) / 250,
    covariate: 0.6 + ((i * 37) % 100) / 300 + ((i * 11) % 7) / 50,
  }));
  await writeFile(files('history.jsonl'), history.map((h) => `${JSON.stringify(h)}\n`).join(''));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('mlfolio experiment', () => {
  it('refuses to analyse an experiment that was never started', async () => {
    const result = await mlfolio(directory, [
      'experiment',
      'analyze',
      files('experiment.yaml'),
      '--exposures',
      files('exposures.jsonl'),
      '--outcomes',
      files('outcomes.jsonl'),
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('E_EXPERIMENT_NOT_STARTED');
  });

  it('starts an experiment once, and refuses a second start', async () => {
    const first = await mlfolio(directory, ['experiment', 'start', files('experiment.yaml')]);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/start recorded at .* \(content hash [0-9a-f]{12}\)/);
    const second = await mlfolio(directory, ['experiment', 'start', files('experiment.yaml')]);
    expect(second.code).toBe(3);
    expect(second.stderr).toContain('E_EXPERIMENT_ALREADY_STARTED');
  });

  it('plans power and MDE from history, for A/B with and without CUPED and for shadow', async () => {
    const result = await mlfolio(directory, [
      'experiment',
      'plan',
      files('experiment.yaml'),
      '--history',
      files('history.jsonl'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.stdout);
    expect(
      plan.designs.map((d: { design: string; cuped: boolean }) => `${d.design}${d.cuped ? '+cuped' : ''}`),
    ).toEqual(['ab', 'ab+cuped', 'paired']);
    expect(plan.inputs.unitsPerWeek).toBeCloseTo(14, 0);
    const [ab, abCuped] = plan.designs;
    expect(abCuped.minimumDetectableEffect).toBeLessThan(ab.minimumDetectableEffect);
  });

  it('reports status from the exposure log', async () => {
    const result = await mlfolio(directory, [
      'experiment',
      'status',
      files('experiment.yaml'),
      '--exposures',
      files('exposures.jsonl'),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Sample ratio: χ²');
    expect(result.stdout).toContain('— ok');
    expect(result.stdout).toContain('2026-03-01 300');
  });

  it('analyses with adjusted p-values in the JSON and a decision', async () => {
    const result = await mlfolio(directory, [
      'experiment',
      'analyze',
      files('experiment.yaml'),
      '--exposures',
      files('exposures.jsonl'),
      '--outcomes',
      files('outcomes.jsonl'),
      '--json',
    ]);
    expect(result.code).toBe(0);
    const analysis = JSON.parse(result.stdout);
    expect(analysis.decision).toMatchObject({ decision: 'ship', arm: 'gradient-boosting' });
    const metrics = analysis.arms[0].metrics;
    expect(metrics.map((m: { metric: string }) => m.metric)).toEqual(['log-loss', 'brier']);
    for (const m of metrics) expect(m.adjustedPValue).toBeGreaterThanOrEqual(m.pValue);
    expect(metrics[0].cuped.covariate).toBe('baseline-entropy');
  });

  it('says so when no outcome has arrived yet', async () => {
    const result = await mlfolio(directory, [
      'experiment',
      'analyze',
      files('experiment.yaml'),
      '--exposures',
      files('exposures.jsonl'),
      '--outcomes',
      files('empty.jsonl'),
    ]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('E_NO_OUTCOMES');
  });

  it('refuses an edited experiment and an arm naming a model the project lacks', async () => {
    await writeFile(files('edited.yaml'), stringify({ ...spec, plannedUnits: 5000 }));
    const edited = await mlfolio(directory, [
      'experiment',
      'status',
      files('edited.yaml'),
      '--exposures',
      files('exposures.jsonl'),
    ]);
    expect(edited.stderr).toContain('E_EXPERIMENT_EDITED');
    expect(edited.stderr).toContain('in: plannedUnits');
    const unknown = await mlfolio(directory, [
      'experiment',
      'plan',
      files('experiment.yaml'),
      '--models',
      'elo-logistic,gradient-boost',
      '--variance',
      '0.1',
    ]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain(
      'arms[1].model: unknown model "gradient-boosting". Did you mean "gradient-boost"?',
    );
  });
});
