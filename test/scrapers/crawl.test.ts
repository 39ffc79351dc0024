import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Progress } from '../../portfolio/progress.ts';
import { crawl, formatSummary } from '../../scrapers/crawl/crawl.ts';
import { manualClock } from '../../scrapers/fetch/clock.ts';
import { fetchPolicy } from '../../scrapers/fetch/fetch-policy.ts';
import { PoliteFetcher } from '../../scrapers/fetch/polite-fetcher.ts';
import { SnapshotStore } from '../../scrapers/snapshot-store/snapshot-store.ts';
import { type FaultServer, ok, sequence, startFaultServer, status } from './fault-server.ts';

let server: FaultServer;
let dir: string;
beforeEach(async () => {
  server = await startFaultServer({
    '/a': ok('<a href="/b">b</a> <a href="/c">c</a> <a href="/a">self</a>'),
    '/b': sequence(status(500), ok('b')),
    '/c': ok('c'),
  });
  dir = await mkdtemp(join(tmpdir(), 'mlfolio-crawl-'));
});
afterEach(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

function recordingProgress(): Progress & { steps: string[] } {
  const steps: string[] = [];
  return {
    steps,
    stage() {},
    info() {},
    warn() {},
    step: (done, total, label) => void steps.push(`${done}/${total} ${label}`),
  };
}

const links = (body: Buffer, base: string) =>
  [...body.toString().matchAll(/href="([^"]+)"/g)].map((match) => new URL(match[1]!, base).href);

describe('crawl', () => {
  it('follows links once each, reports done/queued with an ETA at the polite rate, and sums up', async () => {
    const fetcher = new PoliteFetcher({
      store: new SnapshotStore(join(dir, 'store')),
      clock: manualClock(),
      random: () => 0,
      policyFor: () => fetchPolicy({ requestsPerMinute: 30, obeyRobots: false }),
    });
    const progress = recordingProgress();
    const result = await crawl({
      frontierFile: join(dir, 'frontier.jsonl'),
      seeds: [server.url('/a')],
      fetcher,
      concurrency: 1,
      discover: (page) => links(page.body, page.finalUrl),
      progress,
    });
    expect(result.stored).toEqual([server.url('/a'), server.url('/b'), server.url('/c')]);
    expect(server.hits('/a')).toBe(1);
    expect(progress.steps[0]).toBe('0/1 queued 1 · ETA 2 s at the polite rate');
    expect(progress.steps.at(-1)).toBe('3/3 queued 0');
    expect(result.summary).toMatchObject({
      fetched: 3,
      fromCache: 0,
      retried: 1,
      blocked: 0,
      failed: 0,
      requests: 4,
    });
    expect(formatSummary(result.summary)).toMatch(
      /^fetched 3, from cache 0, retried 1, blocked 0, failed 0 — 4 request\(s\)/,
    );
  });

  it('counts a blocked host and the pages it was not asked for', async () => {
    server.route('/a', ok('<a href="/forbidden">x</a> <a href="/c">c</a>'));
    server.route('/forbidden', status(403));
    const fetcher = new PoliteFetcher({
      store: new SnapshotStore(join(dir, 'store')),
      policyFor: () => fetchPolicy({ requestsPerMinute: 0, obeyRobots: false }),
    });
    const result = await crawl({
      frontierFile: join(dir, 'frontier.jsonl'),
      seeds: [server.url('/a')],
      fetcher,
      concurrency: 1,
      discover: (page) => links(page.body, page.finalUrl),
    });
    expect(result.summary).toMatchObject({ fetched: 1, blocked: 2, failed: 2 });
    expect(server.hits('/c')).toBe(0);
    expect(result.failures.map((failure) => failure.kind)).toEqual(['blocked', 'blocked']);
  });
});
