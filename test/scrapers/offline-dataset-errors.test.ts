import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBundledMatches } from '../../scrapers/sources/openfootball/offline-transport.ts';

const directory = await mkdtemp(join(tmpdir(), 'mlfolio-dataset-'));

describe('the offline dataset, when damaged', () => {
  it('is reported missing with its path and how to restore it', async () => {
    const path = join(directory, 'absent.json');
    await expect(readBundledMatches(path)).rejects.toMatchObject({
      code: 'E_DATASET_MISSING',
      message: expect.stringContaining(path),
      hint: expect.stringContaining('npm install'),
    });
  });

  it('is reported corrupt when it is not JSON', async () => {
    const path = join(directory, 'truncated.json');
    await writeFile(path, '[{"date": "2016-08-13", "division": "Serie A"');
    await expect(readBundledMatches(path)).rejects.toMatchObject({
      code: 'E_DATASET_CORRUPT',
      message: expect.stringMatching(/truncated\.json is not valid JSON/),
    });
  });

  it('is reported corrupt when it is JSON of the wrong shape', async () => {
    const path = join(directory, 'object.json');
    await writeFile(path, '{"matches": []}');
    await expect(readBundledMatches(path)).rejects.toMatchObject({
      code: 'E_DATASET_CORRUPT',
      message: expect.stringContaining('should hold a JSON array of matches'),
    });
  });
});
