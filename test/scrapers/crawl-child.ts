// A crawl in its own process, so a test can kill it with SIGKILL and run it again.
// Usage: node crawl-child.ts <frontier.jsonl> <store-dir> <seed-url> <dataset.json>
import { writeJsonAtomic } from '../../portfolio/atomic-write.ts';
import { fetchPolicy } from '../../scrapers/fetch/fetch-policy.ts';
import { PoliteFetcher } from '../../scrapers/fetch/polite-fetcher.ts';
import { runScrape } from '../../scrapers/scrape-plan.ts';
import { SnapshotStore } from '../../scrapers/snapshot-store/snapshot-store.ts';
import { treeSitePlan } from './tree-site-plan.ts';

const [frontierFile, storeDir, seed, datasetFile] = process.argv.slice(2) as [string, string, string, string];

const fetcher = new PoliteFetcher({
  store: new SnapshotStore(storeDir),
  policyFor: () => fetchPolicy({ requestsPerMinute: 0, maxRetries: 0 }),
});
const outcome = await runScrape(treeSitePlan(seed), {
  fetcher,
  frontierFile,
  concurrency: 2,
  now: () => new Date('2026-01-01T00:00:00Z'),
});
if (!outcome.dataset) {
  console.error(JSON.stringify(outcome.crawl.failures));
  process.exit(4);
}
await writeJsonAtomic(datasetFile, { records: outcome.dataset.records, summary: outcome.crawl.summary });
