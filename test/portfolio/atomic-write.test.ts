import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeJsonAtomic } from '../../portfolio/atomic-write.ts';

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));
const temporaryFolder = async () => {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-atomic-'));
  roots.push(root);
  return root;
};

describe('atomic writes', () => {
  it('create parent folders and write the whole file', async () => {
    const root = await temporaryFolder();
    await writeJsonAtomic(join(root, 'a/b/c.json'), { rows: 3 });
    expect(JSON.parse(await readFile(join(root, 'a/b/c.json'), 'utf8'))).toEqual({ rows: 3 });
    expect(await readdir(join(root, 'a/b'))).toEqual(['c.json']);
  });

  it('leave the previous file intact and no temporary file behind when the write fails', async () => {
    const root = await temporaryFolder();
    // A directory where the file should go makes the final rename fail after the bytes are written.
    await mkdir(join(root, 'record.json'));
    await writeFile(join(root, 'record.json', 'keep'), 'previous');
    await expect(writeFileAtomic(join(root, 'record.json'), 'new')).rejects.toThrow();
    expect(await readdir(root)).toEqual(['record.json']);
    expect(await readFile(join(root, 'record.json', 'keep'), 'utf8')).toBe('previous');
  });
});
