import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseExperiment } from '../../experiments/experiment-spec.ts';
import {
  amendExperiment,
  checkRegistered,
  readRegistration,
  registrationFile,
  startExperiment,
} from '../../experiments/pre-registration.ts';
import { exampleExperiment, modelIds } from './experiment-example.ts';

const experiment = parseExperiment(exampleExperiment(), 'experiment.yaml', { modelIds });
const start = new Date('2026-03-01T12:00:00Z');
let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mlfolio-prereg-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('pre-registration', () => {
  it('writes a content-hashed registration that the same declaration passes', async () => {
    const registration = await startExperiment(directory, experiment, start);
    expect(registration.entries).toHaveLength(1);
    expect(registration.entries[0]!.specHash).toMatch(/^[0-9a-f]{64}$/);
    expect(registration.entries[0]!.at).toBe('2026-03-01T12:00:00.000Z');
    // Key order in the declaration does not change the hash.
    const reordered = parseExperiment(
      Object.fromEntries(Object.entries(exampleExperiment()).reverse()),
      'experiment.yaml',
      { modelIds },
    );
    await expect(checkRegistered(directory, reordered)).resolves.toEqual(registration);
  });

  it('refuses to start the same experiment twice, even concurrently', async () => {
    const results = await Promise.allSettled([
      startExperiment(directory, experiment, start),
      startExperiment(directory, experiment, start),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await expect(startExperiment(directory, experiment, start)).rejects.toMatchObject({
      code: 'E_EXPERIMENT_ALREADY_STARTED',
      message: expect.stringContaining('already started at 2026-03-01T12:00:00.000Z'),
    });
  });

  it('refuses an edit that is not recorded, naming the changed fields', async () => {
    await startExperiment(directory, experiment, start);
    const edited = { ...experiment, minimumDetectableEffect: 0.01, plannedUnits: 9000 };
    await expect(checkRegistered(directory, edited)).rejects.toMatchObject({
      code: 'E_EXPERIMENT_EDITED',
      message: expect.stringContaining('in: minimumDetectableEffect, plannedUnits'),
    });
  });

  it('accepts an edit recorded as an amendment, keeping the original entry', async () => {
    await startExperiment(directory, experiment, start);
    const edited = { ...experiment, plannedUnits: 9000 };
    await amendExperiment(
      directory,
      edited,
      'Fewer fixtures per week than planned',
      new Date('2026-03-08T00:00:00Z'),
    );
    const registration = await checkRegistered(directory, edited);
    expect(registration.entries.map((e) => e.kind)).toEqual(['start', 'amendment']);
    expect(registration.entries[0]!.experiment.plannedUnits).toBe(4000);
    expect(registration.entries[1]!.reason).toBe('Fewer fixtures per week than planned');
    await expect(checkRegistered(directory, experiment)).rejects.toMatchObject({
      code: 'E_EXPERIMENT_EDITED',
    });
  });

  it('refuses amendments without a reason, without a change, or changing the seed', async () => {
    await startExperiment(directory, experiment, start);
    const edited = { ...experiment, plannedUnits: 9000 };
    await expect(amendExperiment(directory, edited, '')).rejects.toMatchObject({
      code: 'E_AMENDMENT_INVALID',
    });
    await expect(amendExperiment(directory, experiment, 'no change at all')).rejects.toMatchObject({
      message: expect.stringContaining('changes nothing'),
    });
    await expect(
      amendExperiment(directory, { ...experiment, seed: 'other' }, 'reshuffle units'),
    ).rejects.toMatchObject({
      message: expect.stringContaining('changes the assignment seed'),
    });
    expect((await readRegistration(directory, experiment.key)).entries).toHaveLength(1);
  });

  it('detects an earlier entry edited by hand', async () => {
    await startExperiment(directory, experiment, start);
    await amendExperiment(directory, { ...experiment, plannedUnits: 9000 }, 'More units needed', start);
    const file = registrationFile(directory, experiment.key);
    const record = JSON.parse(await readFile(file, 'utf8'));
    record.entries[0].experiment.minimumDetectableEffect = 0.05;
    await writeFile(file, JSON.stringify(record));
    await expect(readRegistration(directory, experiment.key)).rejects.toMatchObject({
      code: 'E_REGISTRATION_TAMPERED',
      message: expect.stringContaining('entry 0 (start at 2026-03-01T12:00:00.000Z)'),
    });
  });

  it('says an experiment that was never started is not registered', async () => {
    await expect(checkRegistered(directory, experiment)).rejects.toMatchObject({
      code: 'E_EXPERIMENT_NOT_STARTED',
    });
  });
});
