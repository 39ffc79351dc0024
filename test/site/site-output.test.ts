import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'cheerio';
import { describe, expect, inject, test } from 'vitest';
import { pageWeight } from '../../publish/page-weight.ts';
import { pageBudget } from './page-budget.ts';
import { exampleSlug, listFiles } from './workspaces.ts';

const dist = join(inject('exampleRoot'), 'dist');
const htmlFiles = (await listFiles(dist)).filter((file) => file.endsWith('.html')).sort();
const read = (file: string) => readFile(join(dist, file), 'utf8');
const demoPage = `projects/${exampleSlug}/demo/index.html`;

describe('the built example site', () => {
  test('has every page of the portfolio', () => {
    expect(htmlFiles).toEqual([
      'index.html',
      'path/index.html',
      `projects/${exampleSlug}/demo/index.html`,
      `projects/${exampleSlug}/index.html`,
      `projects/${exampleSlug}/model-card/index.html`,
      `projects/${exampleSlug}/walkthrough/index.html`,
    ]);
  });

  test("renders the builder's about text with `code` spans, not literal backticks", async () => {
    const $ = load(await read('index.html'));
    const about = $('p').filter((_, el) => $(el).text().includes('anyone can reproduce'));
    expect(about).toHaveLength(1);
    expect(about.find('code').text()).toBe('npm start');
    expect(about.text()).not.toContain('`');
  });

  test.each(htmlFiles)('%s ships no JavaScript unless it is the demo', async (file) => {
    const $ = load(await read(file));
    const executable = $('script')
      .toArray()
      .filter((el) => !['application/json', 'application/ld+json'].includes($(el).attr('type') ?? ''));
    if (file === demoPage) {
      expect(executable.map((el) => $(el).attr('type'))).toEqual(['module']);
      expect(executable.every((el) => $(el).attr('src'))).toBe(true);
    } else {
      expect(executable).toHaveLength(0);
    }
    const handlers = $('*')
      .toArray()
      .flatMap((el) =>
        Object.keys((el as { attribs?: Record<string, string> }).attribs ?? {}).filter((name) =>
          /^on/i.test(name),
        ),
      );
    expect(handlers).toEqual([]);
  });

  test.each(htmlFiles)('%s stays within the page-weight budget', async (file) => {
    const weight = await pageWeight(dist, file);
    expect(weight.bytes).toBeLessThanOrEqual(pageBudget.maxBytes);
    expect(weight.gzipBytes).toBeLessThanOrEqual(pageBudget.maxGzipBytes);
    expect(weight.scriptBytes).toBeLessThanOrEqual(file === demoPage ? pageBudget.maxDemoScriptBytes : 0);
    if (file === demoPage) expect(weight.scriptBytes).toBeGreaterThan(0);
  });

  test.each(htmlFiles)(
    '%s carries a Content-Security-Policy, a description and OpenGraph tags',
    async (file) => {
      const $ = load(await read(file));
      const csp = $('meta[http-equiv="content-security-policy"]').attr('content') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toMatch(/script-src 'self'/);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).toContain("object-src 'none'");
      expect($('meta[name="description"]').attr('content')).toBeTruthy();
      expect($('meta[property="og:title"]').attr('content')).toBeTruthy();
      expect($('link[rel="canonical"]').attr('href')).toMatch(/^https?:\/\//);
      expect($('html').attr('lang')).toBe('en');
      if (file.startsWith('projects/')) {
        expect($('meta[property="og:image"]').attr('content')).toMatch(
          new RegExp(`/projects/${exampleSlug}/social\\.png$`),
        );
        expect($('meta[name="twitter:card"]').attr('content')).toBe('summary_large_image');
      }
    },
  );

  test('renders a 1200×630 PNG social preview per project', async () => {
    const png = await readFile(join(dist, 'projects', exampleSlug, 'social.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1200, 630]);
  });

  test('lists every page in the sitemap and every project in the RSS feed', async () => {
    const sitemap = await readFile(join(dist, 'sitemap-0.xml'), 'utf8');
    for (const file of htmlFiles) expect(sitemap).toContain(`/${file.replace(/index\.html$/, '')}<`);
    const rss = load(await readFile(join(dist, 'rss.xml'), 'utf8'), { xml: true });
    expect(
      rss('item > link')
        .map((_, el) => rss(el).text())
        .get(),
    ).toEqual([expect.stringMatching(new RegExp(`/projects/${exampleSlug}/$`))]);
  });

  test('quotes the run record, not typed numbers: the project page shows the recorded test rows', async () => {
    const run = JSON.parse(
      await readFile(
        join(
          inject('exampleRoot'),
          'content',
          'projects',
          exampleSlug,
          'runs',
          await latestRunId(),
          'run.json',
        ),
        'utf8',
      ),
    ) as { runId: string; split: { test: { rows: number } } };
    const $ = load(await read(`projects/${exampleSlug}/index.html`));
    expect($('main').text()).toContain(run.runId);
    expect($('main').text()).toContain(run.split.test.rows.toLocaleString('en-GB'));
  });
});

async function latestRunId(): Promise<string> {
  const runs = join(inject('exampleRoot'), 'content', 'projects', exampleSlug, 'runs');
  const { readdir } = await import('node:fs/promises');
  return (await readdir(runs)).sort().at(-1)!;
}
