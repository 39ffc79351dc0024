import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../../portfolio/hash.ts';
import { Frontier } from '../../scrapers/crawl/frontier.ts';
import { SnapshotStore } from '../../scrapers/snapshot-store/snapshot-store.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlfolio-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const response = (url: string, body: string) => ({
  url,
  finalUrl: url,
  status: 200,
  headers: { 'content-type': 'text/html', etag: '"abc"', 'set-cookie': 'session=secret', server: 'x' },
  body: Buffer.from(body),
  fetchedAt: new Date('2026-03-01T12:00:00Z'),
});

describe('SnapshotStore', () => {
  it('stores a response with its manifest entry and keeps only the selected headers', async () => {
    const store = new SnapshotStore(dir);
    const entry = await store.put(response('https://a.test/page#top', '<p>hi</p>'));
    expect(entry).toEqual({
      version: 1,
      method: 'GET',
      url: 'https://a.test/page',
      finalUrl: 'https://a.test/page#top',
      status: 200,
      headers: { 'content-type': 'text/html', etag: '"abc"' },
      fetchedAt: '2026-03-01T12:00:00.000Z',
      bytes: 9,
      sha256: sha256('<p>hi</p>'),
    });
    const snapshot = await store.get('https://a.test/page');
    expect(snapshot?.body.toString()).toBe('<p>hi</p>');
  });

  it('stores identical bodies once, whatever the URL', async () => {
    const store = new SnapshotStore(dir);
    await store.put(response('https://a.test/1', 'same'));
    await store.put(response('https://a.test/2', 'same'));
    const shards = await readdir(join(dir, 'blobs'));
    const blobs = (await Promise.all(shards.map((shard) => readdir(join(dir, 'blobs', shard))))).flat();
    expect(blobs).toHaveLength(1);
    expect((await store.list()).map((entry) => entry.url)).toEqual(['https://a.test/1', 'https://a.test/2']);
  });

  it('refuses a body that no longer matches its hash', async () => {
    const store = new SnapshotStore(dir);
    const entry = await store.put(response('https://a.test/x', 'original'));
    await writeFile(join(dir, 'blobs', entry.sha256.slice(0, 2), entry.sha256), 'tampered');
    await expect(store.get('https://a.test/x')).rejects.toThrow(/E_SNAPSHOT_CORRUPT|does not match/);
  });

  it('names the field of a damaged manifest entry', async () => {
    const store = new SnapshotStore(dir);
    await store.put(response('https://a.test/y', 'y'));
    const [name] = await readdir(join(dir, 'entries'));
    await writeFile(join(dir, 'entries', name!), JSON.stringify({ version: 1, url: 'https://a.test/y' }));
    await expect(store.get('https://a.test/y')).rejects.toThrow(/finalUrl: missing/);
  });

  it('leaves no temporary files behind', async () => {
    const store = new SnapshotStore(dir);
    await Promise.all([1, 2, 3].map((i) => store.put(response(`https://a.test/${i}`, `${i}`))));
    const entries = await readdir(join(dir, 'entries'));
    expect(entries.filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect(entries).toHaveLength(3);
  });
});

describe('Frontier', () => {
  it('restores the queue from its journal: unfinished and retryable URLs, in first-seen order', async () => {
    const file = join(dir, 'frontier.jsonl');
    const frontier = await Frontier.open(file);
    for (const url of ['https://a.test/1', 'https://a.test/2', 'https://a.test/3', 'https://a.test/4']) {
      await frontier.add(url);
    }
    await frontier.finish('https://a.test/1', { status: 'stored', from: 'network' });
    await frontier.finish('https://a.test/2', {
      status: 'failed',
      kind: 'retry-later',
      code: 'E',
      message: 'm',
    });
    await frontier.finish('https://a.test/3', {
      status: 'failed',
      kind: 'rejected',
      code: 'E',
      message: 'm',
    });
    await frontier.close();
    const reopened = await Frontier.open(file);
    expect(reopened.queuedUrls()).toEqual(['https://a.test/2', 'https://a.test/4']);
    expect(await reopened.add('https://a.test/1')).toBe(false);
    await reopened.close();
  });

  it('ignores a torn last line left by a killed process', async () => {
    const file = join(dir, 'frontier.jsonl');
    const frontier = await Frontier.open(file);
    await frontier.add('https://a.test/1');
    await frontier.close();
    await appendFile(file, '{"done":"https://a.test/1","sta');
    const reopened = await Frontier.open(file);
    expect(reopened.queuedUrls()).toEqual(['https://a.test/1']);
    await reopened.close();
  });

  it('starts a new journal when the seeds changed, so dropped URLs never reach a dataset', async () => {
    const file = join(dir, 'frontier.jsonl');
    const first = await Frontier.open(file, ['https://a.test/1', 'https://a.test/2']);
    await first.add('https://a.test/1');
    await first.add('https://a.test/2');
    await first.finish('https://a.test/2', { status: 'stored', from: 'network' });
    await first.close();
    const same = await Frontier.open(file, ['https://a.test/2', 'https://a.test/1']);
    expect([same.restarted, same.entries().length]).toEqual([false, 2]);
    await same.close();
    const edited = await Frontier.open(file, ['https://a.test/1']);
    expect([edited.restarted, edited.entries().length]).toEqual([true, 0]);
    await edited.close();
  });
});
