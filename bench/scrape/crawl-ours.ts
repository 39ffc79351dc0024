// One benchmark run of mlfolio's crawler, in its own process so its memory is its own.
// Usage: node crawl-ours.ts <origin> <concurrency> <work-dir>
import { join } from 'node:path';
import { load } from 'cheerio';
import { crawl } from '../../scrapers/crawl/crawl.ts';
import { fetchPolicy } from '../../scrapers/fetch/fetch-policy.ts';
import { PoliteFetcher } from '../../scrapers/fetch/polite-fetcher.ts';
import { SnapshotStore } from '../../scrapers/snapshot-store/snapshot-store.ts';

const [origin, concurrency, workDir] = process.argv.slice(2) as [string, string, string];
let rows = 0;
const started = performance.now();
const fetcher = new PoliteFetcher({
  store: new SnapshotStore(join(workDir, 'store')),
  cache: 'network',
  policyFor: () => fetchPolicy({ requestsPerMinute: 0, obeyRobots: false }),
});
const result = await crawl({
  frontierFile: join(workDir, 'frontier.jsonl'),
  seeds: [`${origin}/page/0`],
  fetcher,
  concurrency: Number(concurrency),
  // The same work Crawlee's handler does below: parse, count table rows, collect same-site links.
  discover: (page) => {
    const $ = load(page.body.toString('utf8'));
    rows += $('table#stats tbody tr').length;
    return $('a[href^="/page/"]')
      .toArray()
      .map((a) => new URL($(a).attr('href')!, page.finalUrl).href);
  },
});
console.log(
  JSON.stringify({
    pages: result.stored.length,
    failed: result.failures.length,
    rows,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
