import { type Progress, silentProgress } from '../../portfolio/progress.ts';
import { type FetchResult, formatDuration, type PoliteFetcher } from '../fetch/polite-fetcher.ts';
import { isScrapeError, type ScrapeErrorKind } from '../scrape-error.ts';
import { Frontier } from './frontier.ts';

export interface CrawlOptions {
  /** Journal of the crawl's frontier; reopening the same file resumes the crawl. */
  frontierFile: string;
  seeds: readonly string[];
  fetcher: PoliteFetcher;
  /** Requests in flight at once, across all hosts (each host still gets its own rate). */
  concurrency?: number;
  /** Links to follow from a fetched page; called for pages from the store too. */
  discover?: (page: FetchResult) => string[];
  /** Deepest link distance from a seed that is still followed. */
  maxDepth?: number;
  progress?: Progress;
  signal?: AbortSignal;
}

export interface CrawlFailure {
  url: string;
  kind: ScrapeErrorKind | 'internal';
  code: string;
  message: string;
}

/** The end-of-run summary. `retried` counts retry attempts, not URLs. */
export interface CrawlSummary {
  /** Downloaded in this run. */
  fetched: number;
  /** Taken from the snapshot store without a request (including earlier runs' pages). */
  fromCache: number;
  /** Confirmed unchanged by a conditional request (304). */
  revalidated: number;
  retried: number;
  blocked: number;
  failed: number;
  /** URLs still queued (e.g. a host asked us to wait past the cool-down cap). */
  remaining: number;
  requests: number;
  durationMs: number;
}

export interface CrawlResult {
  /** URLs stored by this crawl, in the order they were first seen (stable across resumes). */
  stored: string[];
  failures: CrawlFailure[];
  summary: CrawlSummary;
}

/**
 * Fetches every URL reachable from `seeds` (through `discover`) with the polite fetcher, and
 * records each URL's outcome in the frontier journal. A crawl that was killed resumes from its
 * journal: URLs already finished are not fetched again, and pages in the snapshot store are read
 * from it instead of the network. The result lists stored URLs in first-seen order, so a dataset
 * built from it is the same however many runs it took.
 */
export async function crawl(options: CrawlOptions): Promise<CrawlResult> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const fetcher = options.fetcher;
  const frontier = await Frontier.open(options.frontierFile, options.seeds);
  if (frontier.restarted)
    progress.info(
      'the start URLs changed since the last run: starting a new crawl (stored pages are reused)',
    );
  for (const seed of options.seeds) await frontier.add(seed, 0);
  const before = { ...fetcher.stats };
  const failures: CrawlFailure[] = [];
  let blocked = 0;
  let done = 0;
  let inFlight = 0;
  const initiallyDone = frontier.entries().filter((entry) => entry.outcome).length;

  const report = () => {
    const queued = frontier.queued + inFlight;
    progress.step(
      initiallyDone + done,
      initiallyDone + done + queued,
      `queued ${queued}${eta(frontier.queuedByHost(), fetcher)}`,
    );
  };

  const worker = async () => {
    for (;;) {
      if (options.signal?.aborted) return;
      const entry = frontier.next();
      if (!entry) return;
      inFlight++;
      try {
        const page = await fetcher.fetch(entry.url, options.signal);
        if (options.discover && (options.maxDepth === undefined || entry.depth < options.maxDepth)) {
          for (const link of options.discover(page)) await frontier.add(link, entry.depth + 1);
        }
        await frontier.finish(entry.url, { status: 'stored', from: page.from });
      } catch (error) {
        if (options.signal?.aborted) return;
        const failure: CrawlFailure = isScrapeError(error)
          ? { url: entry.url, kind: error.kind, code: error.code, message: error.message }
          : { url: entry.url, kind: 'internal', code: 'E_INTERNAL', message: String(error) };
        if (failure.kind === 'blocked') blocked++;
        failures.push(failure);
        await frontier.finish(entry.url, {
          status: 'failed',
          kind: failure.kind === 'internal' ? 'rejected' : failure.kind,
          code: failure.code,
          message: failure.message,
        });
        if (failure.kind === 'internal') throw error;
      } finally {
        inFlight--;
        done++;
        report();
      }
    }
  };

  // Workers that find the queue empty stop; pages in flight may still add links, so keep
  // topping the pool up until nothing is queued and nothing is running.
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const running = new Set<Promise<void>>();
  report();
  try {
    for (;;) {
      while (running.size < concurrency && frontier.queued > 0 && !options.signal?.aborted) {
        const task: Promise<void> = worker().finally(() => running.delete(task));
        running.add(task);
      }
      if (running.size === 0) break;
      await Promise.race(running);
    }
  } finally {
    await Promise.allSettled(running);
    await frontier.close();
  }
  const stored = frontier
    .entries()
    .filter((entry) => entry.outcome?.status === 'stored')
    .map((entry) => entry.url);
  const after = fetcher.stats;
  return {
    stored,
    failures,
    summary: {
      fetched: after.downloaded - before.downloaded,
      fromCache: after.fromStore - before.fromStore,
      revalidated: after.revalidated - before.revalidated,
      retried: after.retries - before.retries,
      blocked,
      failed: failures.length,
      remaining: frontier.queued,
      requests: after.requests - before.requests,
      durationMs: performance.now() - started,
    },
  };
}

/** Time to drain the queue at each host's polite rate; hosts run in parallel. */
function eta(queuedByHost: ReadonlyMap<string, number>, fetcher: PoliteFetcher): string {
  let ms = 0;
  for (const [host, count] of queuedByHost) ms = Math.max(ms, count * fetcher.intervalFor(host));
  return ms > 0 ? ` · ETA ${formatDuration(ms)} at the polite rate` : '';
}

export function formatSummary(summary: CrawlSummary): string {
  return (
    `fetched ${summary.fetched}, from cache ${summary.fromCache}` +
    (summary.revalidated ? `, revalidated ${summary.revalidated}` : '') +
    `, retried ${summary.retried}, blocked ${summary.blocked}, failed ${summary.failed}` +
    (summary.remaining ? `, still queued ${summary.remaining}` : '') +
    ` — ${summary.requests} request(s) in ${formatDuration(Math.round(summary.durationMs))}`
  );
}
