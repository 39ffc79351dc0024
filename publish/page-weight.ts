import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { load } from 'cheerio';

export interface PageWeight {
  /** The HTML (inline CSS and SVG charts included) plus every script, stylesheet, image and icon it loads. */
  bytes: number;
  /** The same, each file gzipped, as the wire carries it. */
  gzipBytes: number;
  /** Scripts alone, uncompressed. */
  scriptBytes: number;
}

/**
 * What one built page costs a reader: the page-weight budget's measure (test/site/page-budget.ts),
 * also printed by `npm run lighthouse`. The social preview is left out: only link unfurlers fetch it.
 */
export async function pageWeight(distDir: string, htmlFile: string, basePath = '/'): Promise<PageWeight> {
  const html = await readFile(join(distDir, htmlFile));
  const $ = load(html.toString('utf8'));
  const attribute = (selector: string, name: string) =>
    $(selector)
      .map((_, el) => $(el).attr(name))
      .get();
  const local = (src: string) => join(distDir, src.startsWith(basePath) ? src.slice(basePath.length) : src);
  const scripts = await Promise.all(attribute('script[src]', 'src').map((src) => readFile(local(src))));
  const others = await Promise.all(
    [
      ...attribute('link[rel="stylesheet"]', 'href'),
      ...attribute('img[src]', 'src'),
      ...attribute('link[rel="icon"]', 'href'),
    ].map((src) => readFile(local(src))),
  );
  const bodies = [html, ...scripts, ...others];
  const sum = (sizes: number[]) => sizes.reduce((a, b) => a + b, 0);
  return {
    bytes: sum(bodies.map((body) => body.length)),
    gzipBytes: sum(bodies.map((body) => gzipSync(body).length)),
    scriptBytes: sum(scripts.map((body) => body.length)),
  };
}
