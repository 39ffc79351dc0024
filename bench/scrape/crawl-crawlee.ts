// One benchmark run of Crawlee's CheerioCrawler, in its own process so its memory is its own.
// Usage: node crawl-crawlee.ts <origin> <concurrency> <work-dir>
import { CheerioCrawler, Configuration, log } from '@crawlee/cheerio';

const [origin, concurrency, workDir] = process.argv.slice(2) as [string, string, string];
process.env.CRAWLEE_STORAGE_DIR = workDir;
log.setLevel(log.LEVELS.OFF);
let rows = 0;
let pages = 0;
let failed = 0;
const started = performance.now();
const crawler = new CheerioCrawler(
  {
    minConcurrency: Number(concurrency),
    maxConcurrency: Number(concurrency),
    maxRequestRetries: 0,
    async requestHandler({ $, enqueueLinks }) {
      pages++;
      rows += $('table#stats tbody tr').length;
      await enqueueLinks({ selector: 'a[href^="/page/"]' });
    },
    failedRequestHandler() {
      failed++;
    },
  },
  new Configuration({ persistStorage: false }),
);
await crawler.run([`${origin}/page/0`]);
console.log(
  JSON.stringify({
    pages,
    failed,
    rows,
    seconds: (performance.now() - started) / 1000,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  }),
);
