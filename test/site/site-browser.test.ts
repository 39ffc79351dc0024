import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type StaticSite, serveStatic } from '../../publish/static-server.ts';
import { launchBrowser } from './browser.ts';
import { crawl } from './link-crawl.ts';
import { exampleSlug, repoRoot } from './workspaces.ts';

const exampleRoot = inject('exampleRoot');
const screenshots = join(repoRoot, 'test-results', 'screenshots');
const pages = [
  { name: 'index', path: '' },
  { name: 'project', path: `projects/${exampleSlug}/` },
  { name: 'model-card', path: `projects/${exampleSlug}/model-card/` },
  { name: 'walkthrough', path: `projects/${exampleSlug}/walkthrough/` },
  { name: 'demo', path: `projects/${exampleSlug}/demo/` },
];
const viewports = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 900 },
];

let browser: Browser;
let site: StaticSite;
let basePathSite: StaticSite;

// null where the global setup found no browser (it says so, and never lets that pass under CI).
const chromiumPath = inject('chromiumPath');
const withBrowser = describe.skipIf(chromiumPath === null);

beforeAll(async () => {
  [site, basePathSite] = await Promise.all([
    serveStatic(join(exampleRoot, 'dist')),
    serveStatic(join(inject('basePathRoot'), 'dist'), '/portfolio/'),
  ]);
  if (chromiumPath !== null) browser = await launchBrowser(chromiumPath);
  await mkdir(screenshots, { recursive: true });
});

afterAll(async () => {
  await Promise.all([browser?.close(), site?.close(), basePathSite?.close()]);
});

withBrowser('every page in a browser', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const viewport of viewports) {
      test(`renders without errors or horizontal overflow on a ${viewport.name} in ${scheme} mode`, async () => {
        const context = await browser.newContext({ viewport, colorScheme: scheme });
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('console', (message) => {
          if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
        });
        page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
        for (const { name, path } of pages) {
          const response = await page.goto(site.url + path);
          expect(response?.status()).toBe(200);
          await expect.poll(() => page.locator('h1').count(), { timeout: 15_000 }).toBe(1);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `${name} scrolls sideways`).toBeLessThanOrEqual(0);
          // A viewport as tall as the page puts every chart on screen: charts use content-visibility: auto,
          // which a scrolled full-page capture would leave blank below the fold.
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          await page.setViewportSize({ width: viewport.width, height });
          await page.screenshot({ path: join(screenshots, `${name}-${viewport.name}-${scheme}.png`) });
          await page.setViewportSize({ width: viewport.width, height: viewport.height });
        }
        expect(errors).toEqual([]);
        await context.close();
      });
    }
  }
});

describe('links', () => {
  test('every internal link, script, stylesheet and image resolves', async () => {
    const { visited, broken } = await crawl(site.url);
    expect(broken).toEqual([]);
    for (const { path } of pages) expect(visited.get(site.url + path)).toBe(200);
  });

  test('with BASE_PATH=/portfolio/, every link stays under the base path and resolves', async () => {
    const { visited, broken } = await crawl(basePathSite.url);
    expect(broken).toEqual([]);
    expect([...visited.keys()].every((url) => url.startsWith(basePathSite.url))).toBe(true);
    for (const { path } of pages) expect(visited.get(basePathSite.url + path)).toBe(200);
  });
});

withBrowser('the walkthrough handout', () => {
  test('prints on exactly one A4 page', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.url}projects/${exampleSlug}/walkthrough/`);
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true, printBackground: true });
    const pageCount = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pageCount).toBe(1);
    await page.screenshot({ path: join(screenshots, 'walkthrough-print.png'), fullPage: true });
    await page.close();
  });
});

withBrowser('the architecture diagram', () => {
  test('fits the screen at its designed text size: three boxes a row on a desktop, one on a phone', async () => {
    for (const viewport of viewports) {
      const page = await browser.newPage({ viewport });
      await page.goto(`${site.url}projects/${exampleSlug}/walkthrough/`);
      const shown = await page.evaluate(() =>
        [...document.querySelectorAll<SVGSVGElement>('svg.architecture')]
          .filter((svg) => svg.getBoundingClientRect().width > 0)
          .map((svg) => {
            const box = svg.getBoundingClientRect();
            return {
              layout: svg.classList.contains('architecture-narrow') ? 'one a row' : 'three a row',
              right: box.right,
              // Rendered size over designed size: below 1, the 13–15 px labels would shrink.
              scale: box.width / svg.viewBox.baseVal.width,
              scrolls: svg.parentElement!.scrollWidth > svg.parentElement!.clientWidth,
            };
          }),
      );
      expect(shown.map((s) => s.layout)).toEqual([viewport.name === 'phone' ? 'one a row' : 'three a row']);
      expect(shown[0]!.right).toBeLessThanOrEqual(viewport.width);
      expect(shown[0]!.scale).toBeGreaterThanOrEqual(1);
      expect(shown[0]!.scrolls).toBe(false);
      await page.close();
    }
  });
});

withBrowser('charts on a phone', () => {
  test('keep their designed size, so labels stay readable, and scroll inside their figure', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${site.url}projects/${exampleSlug}/`);
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.chart')].map((chart) => {
        const svg = chart.querySelector('svg')!;
        return {
          name: chart.getAttribute('aria-label'),
          scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width,
          figureWidth: chart.getBoundingClientRect().width,
        };
      }),
    );
    expect(charts.length).toBeGreaterThanOrEqual(6);
    for (const chart of charts) {
      expect(chart.scale, chart.name!).toBeCloseTo(1, 2);
      expect(chart.figureWidth, chart.name!).toBeLessThanOrEqual(390);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // A keyboard reaches every chart that scrolls (Chromium makes overflowing scrollers focusable).
    const scrolling = await page.evaluate(
      () => [...document.querySelectorAll('.chart')].filter((c) => c.scrollWidth > c.clientWidth).length,
    );
    const focused = new Set<number>();
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      focused.add(
        await page.evaluate(() => [...document.querySelectorAll('.chart')].indexOf(document.activeElement!)),
      );
    }
    focused.delete(-1);
    expect(scrolling).toBeGreaterThan(0);
    expect(focused.size).toBe(scrolling);
    await page.close();
  });
});
