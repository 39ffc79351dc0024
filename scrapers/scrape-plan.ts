import type { Progress } from '../portfolio/progress.ts';
import { type CrawlResult, crawl } from './crawl/crawl.ts';
import type { FetchResult, PoliteFetcher } from './fetch/polite-fetcher.ts';
import { ScrapeError } from './scrape-error.ts';
import type { Snapshot } from './snapshot-store/snapshot-entry.ts';
import type { CollectedDataset } from './source.ts';

/**
 * A source as a crawl: where to start, which links to follow, and how to turn the stored pages
 * into records. Building reads only the snapshot store, so a dataset is a pure function of the
 * stored pages and is the same whether the crawl took one run or several.
 */
export interface ScrapePlan<R> {
  name: string;
  seeds: readonly string[];
  discover?: (page: FetchResult) => string[];
  maxDepth?: number;
  /** Builds the dataset from the stored pages, given in first-seen order. */
  build(pages: readonly Snapshot[], collectedAt: Date): CollectedDataset<R>;
}

export interface ScrapeOutcome<R> {
  crawl: CrawlResult;
  /** Undefined when some page could not be collected (see `crawl.failures`). */
  dataset: CollectedDataset<R> | undefined;
}

/** Crawls `plan` and, if every page was collected, builds its dataset from the store. */
export async function runScrape<R>(
  plan: ScrapePlan<R>,
  options: {
    fetcher: PoliteFetcher;
    frontierFile: string;
    concurrency?: number;
    progress?: Progress;
    now?: () => Date;
  },
): Promise<ScrapeOutcome<R>> {
  const result = await crawl({
    frontierFile: options.frontierFile,
    seeds: plan.seeds,
    fetcher: options.fetcher,
    ...(plan.discover ? { discover: plan.discover } : {}),
    ...(plan.maxDepth !== undefined ? { maxDepth: plan.maxDepth } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.progress ? { progress: options.progress } : {}),
  });
  if (result.failures.length || result.summary.remaining) return { crawl: result, dataset: undefined };
  const store = options.fetcher.store;
  if (!store) throw new Error('runScrape needs a fetcher with a snapshot store');
  const pages: Snapshot[] = [];
  for (const url of result.stored) {
    const snapshot = await store.get(url);
    if (!snapshot) {
      throw new ScrapeError('offline-miss', {
        code: 'E_SNAPSHOT_MISSING',
        url,
        message: `the crawl recorded this page as stored, but ${store.root} has no copy.`,
        hint: 'The store was changed outside mlfolio: delete the crawl journal and run again.',
      });
    }
    pages.push(snapshot);
  }
  return { crawl: result, dataset: plan.build(pages, (options.now ?? (() => new Date()))()) };
}
