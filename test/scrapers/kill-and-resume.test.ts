import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPolicy } from '../../scrapers/fetch/fetch-policy.ts';
import { PoliteFetcher } from '../../scrapers/fetch/polite-fetcher.ts';
import { runScrape } from '../../scrapers/scrape-plan.ts';
import { SnapshotStore } from '../../scrapers/snapshot-store/snapshot-store.ts';
import { type FaultServer, startFaultServer } from './fault-server.ts';
import { treeSitePlan } from './tree-site-plan.ts';

const pages = 40;
const hangAt = '/p/24';
let server: FaultServer;
let dir: string;
let hang: { armed: boolean; reached: () => void } = { armed: false, reached: () => {} };

// A site shaped like a binary tree: page i links to pages 2i+1 and 2i+2.
beforeAll(async () => {
  server = await startFaultServer();
  for (let i = 0; i < pages; i++) {
    const links = [2 * i + 1, 2 * i + 2].filter((j) => j < pages).map((j) => `<a href="/p/${j}">${j}</a>`);
    server.route(`/p/${i}`, (_request, response) => {
      if (`/p/${i}` === hangAt && hang.armed) {
        hang.reached();
        return; // never answers: the process is killed while waiting
      }
      response.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Page ${i}</h1>${links.join(' ')}`);
    });
  }
  dir = await mkdtemp(join(tmpdir(), 'mlfolio-resume-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function runChild(name: string): { exited: Promise<number | null>; kill: () => void } {
  const child = spawn(
    process.execPath,
    [
      join(import.meta.dirname, 'crawl-child.ts'),
      join(dir, name, 'frontier.jsonl'),
      join(dir, name, 'store'),
      server.url('/p/0'),
      join(dir, name, 'dataset.json'),
    ],
    // The compile cache spares each child re-compiling the same modules.
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NODE_COMPILE_CACHE: join(tmpdir(), 'mlfolio-test-compile-cache') },
    },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return {
    exited: new Promise((resolve) =>
      child.on('exit', (code) => {
        if (code) console.error(stderr);
        resolve(code);
      }),
    ),
    kill: () => child.kill('SIGKILL'),
  };
}

const paths = (from: number) => server.log.slice(from).map((entry) => entry.path);

describe('a crawl killed with SIGKILL', () => {
  it('resumes without fetching stored pages again and ends with the same dataset as an uninterrupted crawl', async () => {
    const reference = await runScrape(treeSitePlan(server.url('/p/0')), {
      fetcher: new PoliteFetcher({
        store: new SnapshotStore(join(dir, 'reference', 'store')),
        policyFor: () => fetchPolicy({ requestsPerMinute: 0 }),
      }),
      frontierFile: join(dir, 'reference', 'frontier.jsonl'),
      concurrency: 2,
      now: () => new Date('2026-01-01T00:00:00Z'),
    });

    const firstRunStart = server.log.length;
    const reached = new Promise<void>((resolve) => {
      hang = { armed: true, reached: resolve };
    });
    const first = runChild('resumed');
    await reached;
    first.kill();
    expect(await first.exited).toBeNull();
    hang.armed = false;

    const storedAfterKill = (await new SnapshotStore(join(dir, 'resumed', 'store')).list())
      .map((entry) => new URL(entry.url).pathname)
      .filter((path) => path.startsWith('/p/'));
    expect(storedAfterKill.length).toBeGreaterThan(5);
    expect(storedAfterKill.length).toBeLessThan(pages);
    expect(paths(firstRunStart)).toContain(hangAt);

    const secondRunStart = server.log.length;
    const second = runChild('resumed');
    expect(await second.exited).toBe(0);
    const refetched = paths(secondRunStart).filter((path) => storedAfterKill.includes(path));
    expect(refetched).toEqual([]);
    expect(paths(secondRunStart)).toContain(hangAt);

    const read = async (name: string) => JSON.parse(await readFile(join(dir, name, 'dataset.json'), 'utf8'));
    const actual = await read('resumed');
    expect(actual.records).toEqual(reference.dataset?.records);
    expect(actual.records).toHaveLength(pages);
    expect(actual.summary.fetched).toBe(pages - storedAfterKill.length);
  });
});
