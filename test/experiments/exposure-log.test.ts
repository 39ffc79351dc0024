import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Exposure, ExposureLog, readExposureLog } from '../../experiments/exposure-log.ts';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'mlfolio-exposures-'));
});
afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

const exposure = (unit: string): Exposure => ({
  experiment: 'gbm-vs-elo',
  unit,
  arm: 'elo-logistic',
  role: 'served',
  at: '2026-03-01T12:00:00.000Z',
  modelVersion: 'run-1/elo-logistic',
  featuresAsOf: '2026-02-28T00:00:00.000Z',
  prediction: { probabilities: { home: 0.6, away: 0.4 } },
  latencyMs: 0.2,
});

describe('exposure log', () => {
  it('reads back every appended exposure in order', async () => {
    const path = join(directory, 'exposures.jsonl');
    const log = ExposureLog.open(path);
    log.append([exposure('a')]);
    log.append([exposure('b'), exposure('c')]);
    log.close();
    const { exposures, tornLastLine } = await readExposureLog(path);
    expect(exposures.map((e) => e.unit)).toEqual(['a', 'b', 'c']);
    expect(exposures[0]).toEqual(exposure('a'));
    expect(tornLastLine).toBe(false);
  });

  it('skips a torn last line and keeps appending cleanly after a crash', async () => {
    const path = join(directory, 'exposures.jsonl');
    const line = `${JSON.stringify(exposure('a'))}\n`;
    const torn = JSON.stringify(exposure('b')).slice(0, 40);
    await writeFile(path, line + torn);
    expect(await readExposureLog(path)).toMatchObject({ tornLastLine: true, exposures: [{ unit: 'a' }] });
    // The restarted server closes the fragment off, so the next record is not glued to it.
    const log = ExposureLog.open(path);
    log.append([exposure('c')]);
    log.close();
    const { exposures } = await readExposureLog(path);
    expect(exposures.map((e) => e.unit)).toEqual(['a', 'c']);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
  });

  it('refuses a corrupt line in the middle, naming the file and line', async () => {
    const path = join(directory, 'exposures.jsonl');
    await writeFile(
      path,
      `${JSON.stringify(exposure('a'))}\n{"unit": 3}\n${JSON.stringify(exposure('b'))}\n`,
    );
    await expect(readExposureLog(path)).rejects.toMatchObject({
      code: 'E_EXPOSURE_LOG_CORRUPT',
      message: expect.stringContaining(`${path}:2 is not an exposure record`),
    });
  });

  it('says when there is no log yet', async () => {
    await expect(readExposureLog(join(directory, 'none.jsonl'))).rejects.toMatchObject({
      code: 'E_EXPOSURE_LOG_MISSING',
    });
  });

  it('refuses to append after close', async () => {
    const log = ExposureLog.open(join(directory, 'x.jsonl'));
    log.close();
    expect(() => log.append([exposure('a')])).toThrow('closed');
    await appendFile(join(directory, 'x.jsonl'), '');
  });
});
