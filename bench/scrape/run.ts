// `npm run bench:scrape`: mlfolio's crawler against Crawlee's CheerioCrawler on a loopback site,
// then mlfolio's politeness measured. All traffic goes to 127.0.0.1 and every run is bounded.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fetchPolicy } from '../../scrapers/fetch/fetch-policy.ts';
import { PoliteFetcher } from '../../scrapers/fetch/polite-fetcher.ts';
import { machineLine } from '../machine.ts';
import { startLoopbackSite } from './loopback-site.ts';

const run = promisify(execFile);
const pages = Number(process.env.BENCH_PAGES ?? 3000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

interface RunResult {
  pages: number;
  failed: number;
  rows: number;
  seconds: number;
  peakRssMb: number;
}

async function child(script: string, origin: string): Promise<RunResult> {
  const workDir = await mkdtemp(join(tmpdir(), 'mlfolio-bench-'));
  try {
    const { stdout } = await run(
      process.execPath,
      [join(import.meta.dirname, script), origin, String(concurrency), workDir],
      {
        maxBuffer: 1 << 20,
        timeout: 600_000,
      },
    );
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as RunResult;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

console.log(`machine: ${machineLine()}`);
console.log(
  `Loopback site: ${pages} pages; concurrency ${concurrency}; politeness off; ${rounds} round(s), alternating, medians reported.\n`,
);

const site = await startLoopbackSite({ pages });
const results: Record<'mlfolio' | 'crawlee', RunResult[]> = { mlfolio: [], crawlee: [] };
try {
  for (let round = 0; round < rounds; round++) {
    for (const [name, script] of [
      ['mlfolio', 'crawl-ours.ts'],
      ['crawlee', 'crawl-crawlee.ts'],
    ] as const) {
      const result = await child(script, site.origin);
      if (result.pages !== pages || result.failed)
        throw new Error(`${name} crawled ${result.pages}/${pages} pages, ${result.failed} failed`);
      results[name].push(result);
      console.log(
        `  round ${round + 1} ${name}: ${(result.pages / result.seconds).toFixed(0)} pages/s, peak RSS ${result.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
} finally {
  await site.close();
}
const summary = Object.fromEntries(
  Object.entries(results).map(([name, runs]) => [
    name,
    {
      pagesPerSecond: median(runs.map((r) => r.pages / r.seconds)),
      peakRssMb: median(runs.map((r) => r.peakRssMb)),
    },
  ]),
) as Record<'mlfolio' | 'crawlee', { pagesPerSecond: number; peakRssMb: number }>;
console.log('\n| crawler | pages/s | peak RSS (MB) |\n|---|---:|---:|');
for (const [name, s] of Object.entries(summary))
  console.log(`| ${name} | ${s.pagesPerSecond.toFixed(0)} | ${s.peakRssMb.toFixed(0)} |`);
console.log(
  `| ratio mlfolio / Crawlee | ${(summary.mlfolio.pagesPerSecond / summary.crawlee.pagesPerSecond).toFixed(2)}× | ${(summary.mlfolio.peakRssMb / summary.crawlee.peakRssMb).toFixed(2)}× |`,
);

// Politeness on: two hosts crawled at once. Host A is limited by its configured rate; host B's
// robots.txt asks for a slower Crawl-delay, which must win.
const perHost = 25;
const configuredRpm = 300;
const crawlDelaySeconds = 0.5;
const hostA = await startLoopbackSite({ pages: perHost });
const hostB = await startLoopbackSite({
  pages: perHost,
  robots: `User-agent: *\nCrawl-delay: ${crawlDelaySeconds}\n`,
});
try {
  const fetcher = new PoliteFetcher({ policyFor: () => fetchPolicy({ requestsPerMinute: configuredRpm }) });
  const urls = (origin: string) => Array.from({ length: perHost }, (_, i) => `${origin}/page/${i}`);
  const queue = [...urls(hostA.origin), ...urls(hostB.origin)];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let url = queue.shift(); url; url = queue.shift()) await fetcher.fetch(url);
    }),
  );
  const rate = (times: number[]) => {
    const pageTimes = times.slice(1); // the first request is robots.txt
    return ((pageTimes.length - 1) / (pageTimes.at(-1)! - pageTimes[0]!)) * 60_000;
  };
  console.log(`\nPoliteness on (${perHost} pages per host, 4 requests in flight across both hosts):`);
  console.log(
    '| host | configured | robots.txt Crawl-delay | effective limit | observed |\n|---|---:|---:|---:|---:|',
  );
  console.log(
    `| A | ${configuredRpm}/min | — | ${configuredRpm}/min | ${rate(hostA.requestTimes).toFixed(1)}/min |`,
  );
  console.log(
    `| B | ${configuredRpm}/min | ${crawlDelaySeconds} s | ${60 / crawlDelaySeconds}/min | ${rate(hostB.requestTimes).toFixed(1)}/min |`,
  );
} finally {
  await hostA.close();
  await hostB.close();
}
