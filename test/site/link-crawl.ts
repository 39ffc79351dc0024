import { load } from 'cheerio';

export interface CrawlResult {
  /** Every same-origin URL found, with the page that links to it. */
  visited: Map<string, number>;
  broken: { url: string; status: number; from: string }[];
}

/**
 * Follows every same-origin link, script, stylesheet, icon and image from `start`, fetching each
 * once, and reports those that do not answer 200. External links are not fetched (tests are offline).
 */
export async function crawl(start: string): Promise<CrawlResult> {
  const origin = new URL(start).origin;
  const visited = new Map<string, number>();
  const broken: CrawlResult['broken'] = [];
  const queue: { url: string; from: string }[] = [{ url: start, from: '(start)' }];
  while (queue.length > 0) {
    const { url, from } = queue.shift()!;
    if (visited.has(url)) continue;
    const response = await fetch(url);
    visited.set(url, response.status);
    if (response.status !== 200) {
      broken.push({ url, status: response.status, from });
      continue;
    }
    if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
    const $ = load(await response.text());
    const targets = [
      ...$('a[href]')
        .map((_, el) => $(el).attr('href'))
        .get(),
      ...$('link[href]:not([rel="canonical"]):not([rel="alternate"])')
        .map((_, el) => $(el).attr('href'))
        .get(),
      ...$('script[src], img[src]')
        .map((_, el) => $(el).attr('src'))
        .get(),
    ];
    for (const target of targets) {
      const resolved = new URL(target, url);
      resolved.hash = '';
      if (resolved.origin === origin && !visited.has(resolved.href))
        queue.push({ url: resolved.href, from: url });
    }
  }
  return { visited, broken };
}
