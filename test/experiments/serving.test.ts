import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import golden from '../../experiments/assignment-vectors.json' with { type: 'json' };
import { type ExperimentSpec, parseExperiment } from '../../experiments/experiment-spec.ts';
import { ExposureLog, readExposureLog } from '../../experiments/exposure-log.ts';
import { experimentPlugin } from '../../experiments/serving.ts';
import { exampleExperiment, modelIds } from './experiment-example.ts';
import { fakeArms } from './fixtures/fake-arms.ts';

let directory: string;
let app: FastifyInstance | undefined;
let log: ExposureLog | undefined;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mlfolio-serving-'));
});
afterEach(async () => {
  await app?.close();
  log?.close();
  app = undefined;
  log = undefined;
  await rm(directory, { recursive: true, force: true });
});

async function serve(overrides: Partial<ExperimentSpec>, arms = fakeArms()) {
  const experiment = parseExperiment(exampleExperiment(overrides), 'test', { modelIds });
  log = ExposureLog.open(join(directory, 'exposures.jsonl'));
  app = Fastify({ logger: false });
  await app.register(experimentPlugin, {
    experiment,
    arms,
    log,
    now: () => new Date('2026-03-01T12:00:00Z'),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const post = async (body: unknown) => {
    const response = await fetch(`${url}/experiments/gbm-vs-elo/predictions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { post, path: join(directory, 'exposures.jsonl') };
}

describe('serving an experiment over HTTP', () => {
  it('answers each unit from the arm the golden vectors give, and logs it before answering', async () => {
    const { post, path } = await serve({});
    const vectors = golden.vectors[0]!;
    expect(vectors.plan.key).toBe('gbm-vs-elo');
    for (const c of vectors.cases) {
      const { status, body } = await post({ unit: c.unit, input: { id: c.unit, strength: 0.5 } });
      expect(status).toBe(200);
      expect(body.arm).toBe((c.assignment as { arm: string }).arm);
      expect(body.modelVersion).toBe(`run-2026-03-01/${body.arm}`);
    }
    const { exposures } = await readExposureLog(path);
    expect(exposures).toHaveLength(vectors.cases.length);
    expect(exposures.map((e) => [e.unit, e.arm])).toEqual(
      vectors.cases.map((c) => [c.unit, (c.assignment as { arm: string }).arm]),
    );
    expect(exposures[0]).toMatchObject({
      role: 'served',
      at: '2026-03-01T12:00:00.000Z',
      featuresAsOf: '2026-02-28T00:00:00.000Z',
      covariates: { baseline: 0.5 },
    });
  });

  it('in shadow mode scores every arm, answers with the control and logs both', async () => {
    const { post, path } = await serve({ mode: 'shadow' });
    const { body } = await post({ unit: 'fixture-1', input: { id: 'fixture-1', strength: 1 } });
    expect(body.arm).toBe('elo-logistic');
    expect(body.prediction).toEqual({
      probabilities: { home: 1 / (1 + Math.exp(-1)), away: 1 - 1 / (1 + Math.exp(-1)) },
    });
    const { exposures } = await readExposureLog(path);
    expect(exposures.map((e) => [e.arm, e.role])).toEqual([
      ['elo-logistic', 'served'],
      ['gradient-boosting', 'shadow'],
    ]);
  });

  it('answers 502 when the assigned arm fails and logs the failure for the error-rate guardrail', async () => {
    const treated = golden.vectors[0]!.cases.find(
      (c) => (c.assignment as { arm: string }).arm === 'gradient-boosting',
    )!.unit;
    const { post, path } = await serve({}, fakeArms({ arm: 'gradient-boosting', ids: [treated] }));
    const { status, body } = await post({ unit: treated, input: { id: treated, strength: 0 } });
    expect(status).toBe(502);
    expect(body.error).toMatchObject({ code: 'E_ARM_FAILED' });
    const { exposures } = await readExposureLog(path);
    expect(exposures).toEqual([
      expect.objectContaining({ unit: treated, error: `no features for ${treated}` }),
    ]);
  });

  it('answers units outside the layer with the control, unlogged', async () => {
    const { post, path } = await serve({ layer: { name: 'models', from: 0, to: 10 } });
    let outside = 0;
    for (let i = 0; i < 40; i++) {
      const { body } = await post({ unit: `u${i}`, input: { id: `u${i}`, strength: 0 } });
      if (!body.inExperiment) {
        outside++;
        expect(body.arm).toBe('elo-logistic');
      }
    }
    const { exposures } = await readExposureLog(path);
    expect(outside).toBeGreaterThan(25);
    expect(exposures).toHaveLength(40 - outside);
  });

  it('refuses a request without a unit with 400', async () => {
    const { post } = await serve({});
    expect((await post({ input: {} })).status).toBe(400);
    expect((await post({ unit: '', input: {} })).status).toBe(400);
  });
});

describe('a server killed with SIGKILL under load', () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });

  it('loses no exposure it answered', async () => {
    const path = join(directory, 'exposures.jsonl');
    child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'experiment-server.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout!.once('data', (data: Buffer) => resolve(data.toString().trim()));
      child!.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const answered = new Set<string>();
    let failed = 0;
    let next = 0;
    let killed = false;
    // Sixteen clients send requests back to back until the server dies.
    const client = async () => {
      while (!killed) {
        const unit = `unit-${next++}`;
        try {
          const response = await fetch(`${url}/experiments/gbm-vs-elo/predictions`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ unit, input: { id: unit, strength: (next % 7) - 3 } }),
          });
          const body = (await response.json()) as { unit: string };
          if (response.status === 200 && body.unit === unit) answered.add(unit);
        } catch {
          failed++;
        }
      }
    };
    const clients = Array.from({ length: 16 }, client);
    while (answered.size < 1500) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGKILL');
    await new Promise((resolve) => child!.once('exit', resolve));
    killed = true;
    await Promise.all(clients);
    const { exposures } = await readExposureLog(path);
    const logged = new Set(exposures.map((e) => e.unit));
    const lost = [...answered].filter((unit) => !logged.has(unit));
    expect(answered.size).toBeGreaterThanOrEqual(1500);
    expect(lost).toEqual([]);
    // Clients were still sending when the server died: the kill happened under load.
    expect(failed).toBeGreaterThan(0);

    // Restarted on the same log, the server gives each unit the arm it had before the crash.
    child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures', 'experiment-server.ts'), path], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const restarted = await new Promise<string>((resolve, reject) => {
      child!.stdout!.once('data', (data: Buffer) => resolve(data.toString().trim()));
      child!.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    });
    const before = new Map(exposures.map((e) => [e.unit, e.arm]));
    const again = [...answered].slice(0, 50);
    for (const unit of again) {
      const response = await fetch(`${restarted}/experiments/gbm-vs-elo/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ unit, input: { id: unit, strength: 0 } }),
      });
      expect(((await response.json()) as { arm: string }).arm).toBe(before.get(unit));
    }
    child.kill('SIGTERM');
    const after = await readExposureLog(path);
    expect(after.exposures.length).toBe(exposures.length + again.length);
  });
});
