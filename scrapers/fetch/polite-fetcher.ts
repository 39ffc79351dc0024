import { sha256 } from '../../portfolio/hash.ts';
import { ScrapeError } from '../scrape-error.ts';
import { canonicalUrl } from '../snapshot-store/snapshot-entry.ts';
import type { SnapshotStore } from '../snapshot-store/snapshot-store.ts';
import { backoffDelay } from './backoff.ts';
import { detectBotChallenge } from './bot-challenge.ts';
import { type Clock, systemClock } from './clock.ts';
import { defaultFetchPolicy, type FetchPolicy, intervalOf } from './fetch-policy.ts';
import { BodyTooLargeError, type HttpResponse, httpGet } from './http-request.ts';
import { HostRateLimiter } from './rate-limiter.ts';
import { parseRetryAfter } from './retry-after.ts';
import { allowAll, parseRobots, type RobotsRules, robotsAgent } from './robots.ts';
import { blockedStatuses, isTransientNetworkError, transientStatuses } from './transient.ts';
import { userAgent } from './user-agent.ts';

/**
 * Where a response may come from.
 * - `prefer-store`: a stored copy is used without any request (crawls and resumed crawls).
 * - `revalidate`: a stored copy is revalidated with If-None-Match / If-Modified-Since; a 304
 *   costs a request but no body.
 * - `network`: always download.
 * - `offline`: only the store; a URL it lacks is an `offline-miss` error. Never touches the network.
 */
export type CacheMode = 'prefer-store' | 'revalidate' | 'network' | 'offline';

export interface FetchResult {
  url: string;
  finalUrl: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  fetchedAt: string;
  sha256: string;
  /** `store`: no request was made; `revalidated`: a 304 confirmed the stored copy. */
  from: 'network' | 'store' | 'revalidated';
}

/** What the fetcher did, for progress lines and logs. */
export type FetchEvent =
  | { type: 'request'; url: string; attempt: number }
  | { type: 'retry'; url: string; attempt: number; delayMs: number; reason: string }
  | { type: 'cool-down'; host: string; untilMs: number; requestedMs: number; reason: string }
  | { type: 'host-stopped'; host: string; untilMs: number; requestedMs: number; capMs: number }
  | { type: 'host-blocked'; host: string; reason: string }
  | { type: 'crawl-delay'; host: string; delayMs: number };

export interface PoliteFetcherOptions {
  /** Where responses are kept. Without a store every fetch goes to the network. */
  store?: SnapshotStore;
  cache?: CacheMode;
  /** An e-mail address or URL added to the User-Agent. */
  contact?: string;
  /** The policy for a host (site profiles). Default: {@link defaultFetchPolicy} for every host. */
  policyFor?: (host: string) => FetchPolicy;
  clock?: Clock;
  /** Source of jitter, in [0, 1). */
  random?: () => number;
  onEvent?: (event: FetchEvent) => void;
}

/** Counts since the fetcher was created. */
export interface FetchStats {
  requests: number;
  downloaded: number;
  fromStore: number;
  revalidated: number;
  retries: number;
}

/**
 * The only way mlfolio talks to the network. Per host it obeys robots.txt (with Crawl-delay),
 * spaces requests by the policy's rate, pauses for Retry-After up to a cap, retries transient
 * failures with jittered backoff, and stops sending requests to a host that refused us. Every
 * downloaded response goes to the snapshot store; failures are {@link ScrapeError}s that say
 * what to do next.
 */
export class PoliteFetcher {
  readonly userAgent: string;
  readonly cache: CacheMode;
  readonly stats: FetchStats = { requests: 0, downloaded: 0, fromStore: 0, revalidated: 0, retries: 0 };
  readonly #store: SnapshotStore | undefined;
  readonly #policyFor: (host: string) => FetchPolicy;
  readonly #clock: Clock;
  readonly #random: () => number;
  readonly #onEvent: (event: FetchEvent) => void;
  readonly #limiter: HostRateLimiter;
  readonly #robots = new Map<string, Promise<RobotsRules>>();
  readonly #blocked = new Map<string, ScrapeError>();
  readonly #stopped = new Map<string, ScrapeError>();

  constructor(options: PoliteFetcherOptions = {}) {
    this.userAgent = userAgent(options.contact);
    this.cache = options.cache ?? 'prefer-store';
    this.#store = options.store;
    this.#policyFor = options.policyFor ?? (() => defaultFetchPolicy);
    this.#clock = options.clock ?? systemClock;
    this.#random = options.random ?? Math.random;
    this.#onEvent = options.onEvent ?? (() => {});
    this.#limiter = new HostRateLimiter(this.#clock, (host) => intervalOf(this.#policyFor(host)));
    if (this.cache === 'offline' && !this.#store) {
      throw new ScrapeError('offline-miss', {
        code: 'E_OFFLINE_NO_STORE',
        message: 'Offline mode replays a snapshot store, and none was given.',
        hint: 'Pass --store <dir> pointing at a snapshot store, or drop --offline.',
      });
    }
  }

  /** The snapshot store responses go to, if any. */
  get store(): SnapshotStore | undefined {
    return this.#store;
  }

  /** The interval in force for `host` after Crawl-delay, in milliseconds between request starts. */
  intervalFor(host: string): number {
    return this.#limiter.intervalOf(host);
  }

  /** Fetches `url` (GET) under the rules above. Resolves only with a 2xx response. */
  async fetch(url: string, signal?: AbortSignal): Promise<FetchResult> {
    const target = parseTarget(url);
    const stored = this.#store && this.cache !== 'network' ? await this.#store.get(target) : undefined;
    if (this.cache === 'offline' || (this.cache === 'prefer-store' && stored)) {
      if (!stored) {
        throw new ScrapeError('offline-miss', {
          code: 'E_OFFLINE_MISS',
          url: target,
          message: `not in the snapshot store at ${this.#store?.root}, and --offline forbids fetching it.`,
          hint: 'Run once without --offline to collect it, or check the URL.',
        });
      }
      this.stats.fromStore++;
      return finish(stored.entry.status, stored, 'store', target);
    }
    const host = new URL(target).host;
    this.#refuseIfStopped(host, target);
    const policy = this.#policyFor(host);
    if (policy.obeyRobots) await this.#checkRobots(target, host, signal);
    const conditional: Record<string, string> = {};
    if (stored && this.cache === 'revalidate') {
      const { etag, 'last-modified': lastModified } = stored.entry.headers;
      if (etag) conditional['if-none-match'] = etag;
      if (lastModified) conditional['if-modified-since'] = lastModified;
    }
    const response = await this.#exchange(target, host, policy, conditional, signal, false);
    if (response.status === 304 && stored) {
      await this.#store?.markValidated(target, new Date(this.#clock.now()));
      this.stats.revalidated++;
      return finish(stored.entry.status, stored, 'revalidated', target);
    }
    const fetchedAt = new Date(this.#clock.now());
    const definitive =
      (response.status >= 200 && response.status < 300) || [404, 410].includes(response.status);
    const entry = definitive ? await this.#store?.put({ url: target, ...response, fetchedAt }) : undefined;
    this.stats.downloaded++;
    const result: FetchResult = {
      url: target,
      finalUrl: response.finalUrl,
      status: response.status,
      headers: response.headers,
      body: response.body,
      fetchedAt: fetchedAt.toISOString(),
      sha256: entry?.sha256 ?? sha256(response.body),
      from: 'network',
    };
    if (response.status >= 200 && response.status < 300) return result;
    throw rejectStatus(target, response.status);
  }

  /** Rules for the host of `url`; fetched once per run (and stored like any response). */
  async #checkRobots(url: string, host: string, signal: AbortSignal | undefined): Promise<void> {
    const origin = new URL(url).origin;
    if (url === `${origin}/robots.txt`) return;
    let rules = this.#robots.get(origin);
    if (!rules) {
      rules = this.#loadRobots(origin, host, signal);
      this.#robots.set(origin, rules);
    }
    const resolved = await rules;
    if (!resolved.isAllowed(url)) {
      throw new ScrapeError('disallowed', {
        code: 'E_ROBOTS_DISALLOWED',
        url,
        message: `robots.txt forbids this URL for "${robotsAgent}" (${resolved.source}); it was not requested.`,
        hint: "Respect the site's wishes: choose another source, or ask the site operator for permission.",
      });
    }
  }

  async #loadRobots(origin: string, host: string, signal: AbortSignal | undefined): Promise<RobotsRules> {
    const robotsUrl = `${origin}/robots.txt`;
    const policy = this.#policyFor(host);
    const stored = this.#store && this.cache !== 'network' ? await this.#store.get(robotsUrl) : undefined;
    let status: number;
    let body: Buffer;
    if (stored && this.cache === 'prefer-store') {
      status = stored.entry.status;
      body = stored.body;
    } else {
      const response = await this.#exchange(robotsUrl, host, policy, {}, signal, true);
      status = response.status;
      body = response.body;
      if (status < 300 || (status >= 400 && status < 500)) {
        await this.#store?.put({ url: robotsUrl, ...response, fetchedAt: new Date(this.#clock.now()) });
      }
    }
    const rules =
      status >= 200 && status < 300
        ? parseRobots(robotsUrl, body.toString('utf8'), `${robotsUrl}, HTTP ${status}`)
        : allowAll(`${robotsUrl} answered HTTP ${status}, which allows everything`);
    if (rules.crawlDelayMs !== undefined && rules.crawlDelayMs > this.#limiter.intervalOf(host)) {
      this.#limiter.slowDown(host, rules.crawlDelayMs);
      this.#onEvent({ type: 'crawl-delay', host, delayMs: rules.crawlDelayMs });
    }
    return rules;
  }

  /**
   * Sends the request until it gets a response worth returning, retrying transient failures.
   * For robots.txt, 4xx answers are returned (they mean "no rules"), not treated as refusals.
   */
  async #exchange(
    url: string,
    host: string,
    policy: FetchPolicy,
    extraHeaders: Record<string, string>,
    signal: AbortSignal | undefined,
    isRobots: boolean,
  ): Promise<HttpResponse> {
    for (let attempt = 1; ; attempt++) {
      this.#refuseIfStopped(host, url);
      await this.#limiter.acquire(host, signal);
      this.#refuseIfStopped(host, url);
      this.stats.requests++;
      this.#onEvent({ type: 'request', url, attempt });
      let response: HttpResponse;
      try {
        response = await httpGet(url, {
          headers: {
            'user-agent': this.userAgent,
            accept: isRobots ? 'text/plain,*/*;q=0.5' : 'text/html,application/json,text/csv,*/*;q=0.8',
            'accept-encoding': 'gzip, deflate, br',
            ...extraHeaders,
          },
          timeoutMs: policy.timeoutMs,
          maxBytes: policy.maxBytes,
          maxRedirects: policy.maxRedirects,
          ...(signal ? { signal } : {}),
        });
      } catch (error) {
        if (error instanceof BodyTooLargeError) {
          throw new ScrapeError(
            'rejected',
            {
              code: 'E_RESPONSE_TOO_LARGE',
              url,
              message: `${error.message}; the transfer was stopped.`,
              hint: `If the page really is this large, raise maxBytes for ${host} in the source's fetch policy.`,
            },
            { cause: error },
          );
        }
        if ((error as Error).name === 'MaxRedirectsError') {
          throw new ScrapeError(
            'rejected',
            {
              code: 'E_TOO_MANY_REDIRECTS',
              url,
              message: `more than ${policy.maxRedirects} redirects (a redirect loop?).`,
              hint: 'Open the URL in a browser to see where it leads, and use the final URL instead.',
            },
            { cause: error },
          );
        }
        if (signal?.aborted) throw error;
        const reason = describeNetworkError(error);
        if (isTransientNetworkError(error)) {
          await this.#retryOrGiveUp(url, host, policy, attempt, reason, undefined, error);
          continue;
        }
        throw new ScrapeError(
          'rejected',
          {
            code: 'E_FETCH_FAILED',
            url,
            message: `the request failed: ${reason}.`,
            hint: 'Check the URL (host name, scheme, port).',
          },
          { cause: error },
        );
      }
      const challenge = detectBotChallenge(response.status, response.headers, response.body);
      if (challenge || (!isRobots && blockedStatuses.has(response.status))) {
        throw this.#block(host, url, response.status, challenge ?? `HTTP ${response.status}`);
      }
      if (transientStatuses.has(response.status)) {
        const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.#clock.now());
        await this.#retryOrGiveUp(url, host, policy, attempt, `HTTP ${response.status}`, retryAfterMs);
        continue;
      }
      return response;
    }
  }

  /** Waits before the next attempt (cool-down or backoff), or throws `retry-later` if none is left. */
  async #retryOrGiveUp(
    url: string,
    host: string,
    policy: FetchPolicy,
    attempt: number,
    reason: string,
    retryAfterMs: number | undefined,
    cause?: unknown,
  ): Promise<void> {
    const now = this.#clock.now();
    if (retryAfterMs !== undefined && retryAfterMs > policy.maxCoolDownMs) {
      const until = now + retryAfterMs;
      const error = new ScrapeError('retry-later', {
        code: 'E_HOST_COOLING_DOWN',
        url,
        status: Number(reason.replace(/\D/g, '')) || undefined,
        retryAt: new Date(until),
        message: `${reason} asked us to wait ${formatDuration(retryAfterMs)} (Retry-After), more than the cool-down cap of ${formatDuration(policy.maxCoolDownMs)}; no more requests go to ${host} in this run.`,
        hint: `Run the same command again after ${new Date(until).toISOString()}; stored pages are not fetched again.`,
      });
      this.#stopped.set(host, error);
      this.#onEvent({
        type: 'host-stopped',
        host,
        untilMs: until,
        requestedMs: retryAfterMs,
        capMs: policy.maxCoolDownMs,
      });
      throw error;
    }
    if (attempt > policy.maxRetries) {
      throw new ScrapeError(
        'retry-later',
        {
          code: 'E_SOURCE_UNAVAILABLE',
          url,
          ...(/^HTTP \d+$/.test(reason) ? { status: Number(reason.slice(5)) } : {}),
          message: `${reason} on ${attempt} attempt${attempt > 1 ? 's' : ''}; giving up for now.`,
          hint: 'The site is having trouble or is limiting us: run the command again later (stored pages are kept).',
        },
        cause === undefined ? undefined : { cause },
      );
    }
    const delayMs =
      retryAfterMs ??
      backoffDelay(attempt, {
        baseMs: policy.backoffBaseMs,
        maxMs: policy.backoffMaxMs,
        random: this.#random,
      });
    // The whole host waits, not just this request: a struggling server gets a break.
    this.#limiter.coolDown(host, now + delayMs);
    if (retryAfterMs !== undefined) {
      this.#onEvent({ type: 'cool-down', host, untilMs: now + delayMs, requestedMs: retryAfterMs, reason });
    }
    this.stats.retries++;
    this.#onEvent({ type: 'retry', url, attempt, delayMs, reason });
  }

  #block(host: string, url: string, status: number, reason: string): ScrapeError {
    const error = new ScrapeError('blocked', {
      code: 'E_HOST_BLOCKED',
      url,
      status,
      message: `the site refused us (${reason}); no more requests go to ${host} in this run.`,
      hint:
        'Do not retry in a loop: that deepens a ban. Slow down (lower requestsPerMinute), add --contact, ' +
        'check the site’s terms, and try again much later.',
    });
    this.#blocked.set(host, error);
    this.#onEvent({ type: 'host-blocked', host, reason });
    return error;
  }

  #refuseIfStopped(host: string, url: string): void {
    const blocked = this.#blocked.get(host);
    if (blocked) {
      throw new ScrapeError('blocked', {
        code: 'E_HOST_BLOCKED',
        url,
        ...(blocked.status ? { status: blocked.status } : {}),
        message: `not requested: ${host} refused an earlier request in this run (${blocked.url}).`,
        hint: blocked.hint ?? '',
      });
    }
    const stopped = this.#stopped.get(host);
    if (stopped?.retryAt && stopped.retryAt.getTime() > this.#clock.now()) {
      throw new ScrapeError('retry-later', {
        code: 'E_HOST_COOLING_DOWN',
        url,
        retryAt: stopped.retryAt,
        message: `not requested: ${host} asked us to wait until ${stopped.retryAt.toISOString()}.`,
        hint: stopped.hint ?? '',
      });
    }
  }
}

function parseTarget(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ScrapeError(
      'rejected',
      { code: 'E_URL_INVALID', message: `"${url}" is not a URL.`, hint: 'Use an absolute http(s) URL.' },
      { cause: error },
    );
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ScrapeError('rejected', {
      code: 'E_URL_INVALID',
      message: `"${url}" is not an http(s) URL.`,
      hint: 'Only http and https are fetched; for a local file pass its path instead.',
    });
  }
  return canonicalUrl(url);
}

function finish(
  status: number,
  stored: {
    entry: { finalUrl: string; headers: Record<string, string>; fetchedAt: string; sha256: string };
    body: Buffer;
  },
  from: FetchResult['from'],
  url: string,
): FetchResult {
  if (status < 200 || status >= 300) throw rejectStatus(url, status);
  return {
    url,
    finalUrl: stored.entry.finalUrl,
    status,
    headers: stored.entry.headers,
    body: stored.body,
    fetchedAt: stored.entry.fetchedAt,
    sha256: stored.entry.sha256,
    from,
  };
}

function rejectStatus(url: string, status: number): ScrapeError {
  const missing = status === 404 || status === 410;
  return new ScrapeError('rejected', {
    code: missing ? 'E_HTTP_NOT_FOUND' : 'E_HTTP_STATUS',
    url,
    status,
    message: `HTTP ${status}${missing ? ' (no page at this address)' : ''}.`,
    hint: missing
      ? 'Check the URL: a season, team or id in it may be wrong.'
      : 'The server rejected the request; check the URL and the site’s documentation.',
  });
}

function describeNetworkError(error: unknown): string {
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  if (name === 'TimeoutError') return `no response within the timeout (${message ?? ''})`.replace(' ()', '');
  if (name === 'ReadError' || code === 'ERR_STREAM_PREMATURE_CLOSE') return 'the body was cut off';
  return code ? `${code}${message ? ` (${message})` : ''}` : (message ?? String(error));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}
