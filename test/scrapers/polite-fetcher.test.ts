import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeBody } from '../../scrapers/extract/decode.ts';
import { manualClock } from '../../scrapers/fetch/clock.ts';
import { type FetchPolicySpec, fetchPolicy } from '../../scrapers/fetch/fetch-policy.ts';
import { type CacheMode, type FetchEvent, PoliteFetcher } from '../../scrapers/fetch/polite-fetcher.ts';
import { ScrapeError } from '../../scrapers/scrape-error.ts';
import { SnapshotStore } from '../../scrapers/snapshot-store/snapshot-store.ts';
import { type FaultServer, ok, sequence, startFaultServer, status } from './fault-server.ts';

let server: FaultServer;
let storeDir: string;

beforeEach(async () => {
  server = await startFaultServer();
  storeDir = await mkdtemp(join(tmpdir(), 'mlfolio-store-'));
});
afterEach(async () => {
  await server.close();
  await rm(storeDir, { recursive: true, force: true });
});

const start = Date.UTC(2026, 2, 1, 12, 0, 0);

function fetcher(policy: FetchPolicySpec = {}, options: { cache?: CacheMode; contact?: string } = {}) {
  const clock = manualClock(start);
  const events: FetchEvent[] = [];
  const instance = new PoliteFetcher({
    store: new SnapshotStore(storeDir),
    cache: options.cache ?? 'network',
    ...(options.contact ? { contact: options.contact } : {}),
    clock,
    random: () => 0.5,
    policyFor: () => fetchPolicy({ requestsPerMinute: 0, backoffBaseMs: 1000, ...policy }),
    onEvent: (event) => events.push(event),
  });
  return { fetcher: instance, clock, events };
}

async function failure(promise: Promise<unknown>): Promise<ScrapeError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ScrapeError) return error;
    throw error;
  }
  throw new Error('expected the fetch to fail');
}

describe('transient failures', () => {
  it('retries 5xx with exponential backoff and jitter, then succeeds', async () => {
    server.route('/page', sequence(status(500), status(503), ok('<p>fine</p>')));
    const { fetcher: f, clock } = fetcher();
    const page = await f.fetch(server.url('/page'));
    expect(page.body.toString()).toBe('<p>fine</p>');
    expect(server.hits('/page')).toBe(3);
    // base 1000 ms doubled per attempt, times the jitter draw of 0.5
    expect(clock.sleeps).toEqual([500, 1000]);
    expect(f.stats.retries).toBe(2);
  });

  it('gives up after maxRetries with a retry-later error that exits 4', async () => {
    server.route('/down', status(502));
    const { fetcher: f } = fetcher({ maxRetries: 2 });
    const error = await failure(f.fetch(server.url('/down')));
    expect(error).toMatchObject({ kind: 'retry-later', code: 'E_SOURCE_UNAVAILABLE', status: 502 });
    expect(error.retryable).toBe(true);
    expect(error.exitCode).toBe(4);
    expect(error.message).toContain(`GET ${server.url('/down')}`);
    expect(server.hits('/down')).toBe(3);
  });

  it('retries a connection reset', async () => {
    server.route(
      '/reset',
      sequence((request) => request.socket.destroy(), ok('after reset')),
    );
    const { fetcher: f } = fetcher();
    expect((await f.fetch(server.url('/reset'))).body.toString()).toBe('after reset');
    expect(server.hits('/reset')).toBe(2);
  });

  it('retries a body cut off before its Content-Length', async () => {
    server.route(
      '/truncated',
      sequence((_request, response) => {
        response.writeHead(200, { 'content-length': '1000' });
        response.write('only part of it');
        setImmediate(() => response.socket?.destroy());
      }, ok('whole body')),
    );
    const { fetcher: f } = fetcher();
    expect((await f.fetch(server.url('/truncated'))).body.toString()).toBe('whole body');
    expect(server.hits('/truncated')).toBe(2);
  });

  it('times out a response slower than timeoutMs and retries it', async () => {
    const timers: NodeJS.Timeout[] = [];
    server.route(
      '/slow',
      sequence((_request, response) => {
        timers.push(setTimeout(() => response.end('too late'), 5_000));
      }, ok('in time')),
    );
    const { fetcher: f } = fetcher({ timeoutMs: 150 });
    expect((await f.fetch(server.url('/slow'))).body.toString()).toBe('in time');
    expect(server.hits('/slow')).toBe(2);
    for (const timer of timers) clearTimeout(timer);
  });
});

describe('Retry-After', () => {
  it('cools the host down for a 429 with Retry-After in seconds', async () => {
    server.route('/limited', sequence(status(429, { 'retry-after': '30' }), ok('now')));
    const { fetcher: f, clock, events } = fetcher();
    await f.fetch(server.url('/limited'));
    expect(clock.sleeps).toEqual([30_000]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'cool-down', requestedMs: 30_000 }));
  });

  it('cools the host down for a 503 with Retry-After as an HTTP date', async () => {
    const until = new Date(start + 45_000).toUTCString();
    server.route('/busy', sequence(status(503, { 'retry-after': until }), ok('now')));
    const { fetcher: f, clock } = fetcher();
    await f.fetch(server.url('/busy'));
    expect(clock.sleeps).toEqual([45_000]);
  });

  it('stops a host whose Retry-After exceeds the cap, reports the cap, and sends it nothing more', async () => {
    server.route('/ban', status(429, { 'retry-after': '3600' }));
    server.route('/other', ok('other'));
    const { fetcher: f, clock, events } = fetcher({ maxCoolDownMs: 600_000 });
    const error = await failure(f.fetch(server.url('/ban')));
    expect(error).toMatchObject({ kind: 'retry-later', code: 'E_HOST_COOLING_DOWN' });
    expect(error.message).toContain('wait 60 min');
    expect(error.message).toContain('cap of 10 min');
    expect(error.retryAt?.getTime()).toBe(start + 3_600_000);
    expect(clock.sleeps).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'host-stopped', capMs: 600_000 }));
    const next = await failure(f.fetch(server.url('/other')));
    expect(next.kind).toBe('retry-later');
    expect(server.hits('/other')).toBe(0);
  });
});

describe('refusals', () => {
  it('treats 403 as blocked, does not retry, and stops sending requests to the host', async () => {
    server.route('/forbidden', status(403));
    server.route('/next', ok('next'));
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(server.url('/forbidden')));
    expect(error).toMatchObject({ kind: 'blocked', code: 'E_HOST_BLOCKED', status: 403, exitCode: 4 });
    expect(server.hits('/forbidden')).toBe(1);
    expect((await failure(f.fetch(server.url('/next')))).kind).toBe('blocked');
    expect(server.hits('/next')).toBe(0);
  });

  it('recognises a bot-challenge page served with status 200 as blocked', async () => {
    server.route('/challenge', ok('<html><head><title>Just a moment...</title></head><body></body></html>'));
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(server.url('/challenge')));
    expect(error.kind).toBe('blocked');
    expect(error.message).toContain('Just a moment');
  });

  it('does not request a URL robots.txt disallows', async () => {
    server.route('/robots.txt', ok('User-agent: *\nDisallow: /private/\n', { 'content-type': 'text/plain' }));
    server.route('/private/page', ok('secret'));
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(server.url('/private/page')));
    expect(error).toMatchObject({ kind: 'disallowed', code: 'E_ROBOTS_DISALLOWED' });
    expect(server.hits('/private/page')).toBe(0);
  });

  it('honours Crawl-delay when it is slower than the configured rate', async () => {
    server.route('/robots.txt', ok('User-agent: *\nCrawl-delay: 5\n', { 'content-type': 'text/plain' }));
    server.route('/1', ok('1'));
    server.route('/2', ok('2'));
    const { fetcher: f, clock } = fetcher({ requestsPerMinute: 60 });
    await f.fetch(server.url('/1'));
    await f.fetch(server.url('/2'));
    expect(f.intervalFor(new URL(server.origin).host)).toBe(5_000);
    expect(clock.sleeps).toContain(5_000);
  });

  it('spaces requests to one host by the configured rate', async () => {
    for (const path of ['/r1', '/r2', '/r3']) server.route(path, ok(path));
    const { fetcher: f, clock } = fetcher({ requestsPerMinute: 30, obeyRobots: false });
    for (const path of ['/r1', '/r2', '/r3']) await f.fetch(server.url(path));
    expect(clock.sleeps).toEqual([2_000, 2_000]);
  });
});

describe('limits', () => {
  it('rejects a body announced larger than maxBytes without reading it', async () => {
    server.route('/huge', ok(Buffer.alloc(5_000, 97)));
    const { fetcher: f } = fetcher({ maxBytes: 1_000 });
    const error = await failure(f.fetch(server.url('/huge')));
    expect(error).toMatchObject({ kind: 'rejected', code: 'E_RESPONSE_TOO_LARGE' });
    expect(server.hits('/huge')).toBe(1);
  });

  it('stops a chunked body as soon as it passes maxBytes', async () => {
    server.route('/stream', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(1_000, 98);
      for (let i = 0; i < 50; i++) response.write(chunk);
      response.end();
    });
    const { fetcher: f } = fetcher({ maxBytes: 10_000 });
    const error = await failure(f.fetch(server.url('/stream')));
    expect(error.code).toBe('E_RESPONSE_TOO_LARGE');
    expect(error.message).toContain('10000 bytes');
  });

  it('stops a redirect loop at maxRedirects and does not retry it', async () => {
    server.route('/loop-a', status(302, { location: '/loop-b' }));
    server.route('/loop-b', status(302, { location: '/loop-a' }));
    const { fetcher: f } = fetcher({ maxRedirects: 3 });
    const error = await failure(f.fetch(server.url('/loop-a')));
    expect(error).toMatchObject({ kind: 'rejected', code: 'E_TOO_MANY_REDIRECTS' });
    expect(server.hits('/loop-a') + server.hits('/loop-b')).toBe(4);
  });

  it('reports 404 as not found without retrying', async () => {
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(server.url('/missing')));
    expect(error).toMatchObject({ kind: 'rejected', code: 'E_HTTP_NOT_FOUND', status: 404, exitCode: 3 });
    expect(server.hits('/missing')).toBe(1);
  });

  it('strips credentials from the URL in errors', async () => {
    server.route('/secret', status(403));
    const { fetcher: f } = fetcher();
    const error = await failure(f.fetch(server.url('/secret').replace('http://', 'http://user:pw@')));
    expect(error.url).toBe(server.url('/secret'));
    expect(error.message).not.toContain('pw');
  });
});

describe('identity, cache and replay', () => {
  it('sends a User-Agent naming the tool and the contact address', async () => {
    server.route('/ua', ok('ua'));
    const { fetcher: f } = fetcher({}, { contact: 'me@example.com' });
    await f.fetch(server.url('/ua'));
    const sent = server.log.find((entry) => entry.path === '/ua')?.headers['user-agent'];
    expect(sent).toMatch(/^mlfolio\/\d+\.\d+\.\d+ \(\+https:\/\/\S+; contact: me@example\.com\)$/);
  });

  it('revalidates a stored page with If-None-Match and reuses it on 304', async () => {
    server.route('/etag', (request, response) => {
      if (request.headers['if-none-match'] === '"v1"') response.writeHead(304).end();
      else response.writeHead(200, { etag: '"v1"', 'content-type': 'text/html' }).end('<p>v1</p>');
    });
    await fetcher().fetcher.fetch(server.url('/etag'));
    const { fetcher: again } = fetcher({}, { cache: 'revalidate' });
    const page = await again.fetch(server.url('/etag'));
    expect(page.from).toBe('revalidated');
    expect(page.body.toString()).toBe('<p>v1</p>');
    expect(server.log.at(-1)?.headers['if-none-match']).toBe('"v1"');
    expect(again.stats.revalidated).toBe(1);
  });

  it('sends If-Modified-Since for a page stored with Last-Modified', async () => {
    const lastModified = 'Sun, 01 Feb 2026 10:00:00 GMT';
    server.route('/dated', (request, response) => {
      if (request.headers['if-modified-since'] === lastModified) response.writeHead(304).end();
      else response.writeHead(200, { 'last-modified': lastModified }).end('dated');
    });
    await fetcher().fetcher.fetch(server.url('/dated'));
    const page = await fetcher({}, { cache: 'revalidate' }).fetcher.fetch(server.url('/dated'));
    expect(page.from).toBe('revalidated');
  });

  it('replays offline from the store without any request, and names a miss', async () => {
    server.route('/kept', ok('kept'));
    await fetcher().fetcher.fetch(server.url('/kept'));
    const requests = server.log.length;
    const { fetcher: offline } = fetcher({}, { cache: 'offline' });
    expect((await offline.fetch(server.url('/kept'))).from).toBe('store');
    const miss = await failure(offline.fetch(server.url('/never')));
    expect(miss).toMatchObject({ kind: 'offline-miss', code: 'E_OFFLINE_MISS' });
    expect(server.log.length).toBe(requests);
  });

  it('decodes a page whose bytes contradict its declared charset, and says so', async () => {
    server.route(
      '/latin1',
      ok(Buffer.from('<p>café Müller</p>', 'latin1'), { 'content-type': 'text/html; charset=utf-8' }),
    );
    const page = await fetcher().fetcher.fetch(server.url('/latin1'));
    const decoded = decodeBody(page.body, page.headers['content-type']);
    expect(decoded.text).toBe('<p>café Müller</p>');
    expect(decoded.warnings[0]).toContain('not valid UTF-8');
  });
});
