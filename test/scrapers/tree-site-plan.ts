import { hashValue } from '../../portfolio/hash.ts';
import type { ScrapePlan } from '../../scrapers/scrape-plan.ts';

/** Follows every link of the test site and records each page's <h1>. */
export function treeSitePlan(seed: string): ScrapePlan<{ url: string; title: string }> {
  return {
    name: 'kill-and-resume',
    seeds: [seed],
    discover: (page) =>
      [...page.body.toString('utf8').matchAll(/href="([^"]+)"/g)].map(
        (match) => new URL(match[1]!, page.finalUrl).href,
      ),
    build(pages, collectedAt) {
      const records = pages.map((page) => ({
        url: page.entry.url,
        title: /<h1>([^<]*)<\/h1>/.exec(page.body.toString('utf8'))?.[1] ?? '',
      }));
      return {
        records,
        excluded: [],
        provenance: {
          source: 'test-site',
          transport: 'live',
          origin: [seed],
          licence: 'test',
          attribution: 'test',
          collectedAt: collectedAt.toISOString(),
          rows: records.length,
          excludedRows: 0,
          sha256: hashValue(records),
        },
      };
    },
  };
}
