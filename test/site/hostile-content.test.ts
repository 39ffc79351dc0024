import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { load } from 'cheerio';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { type StaticSite, serveStatic } from '../../publish/static-server.ts';
import { launchBrowser } from './browser.ts';
import { exampleSlug, hostileNames, listFiles } from './workspaces.ts';

const dist = join(inject('hostileRoot'), 'dist');
const htmlFiles = (await listFiles(dist)).filter((file) => file.endsWith('.html'));
const demoFile = `projects/${exampleSlug}/demo/index.html`;

describe('scraped strings that look like markup', () => {
  test('reach the demo as text: every hostile team name is an option of the team list, literally', async () => {
    const $ = load(await readFile(join(dist, demoFile), 'utf8'));
    const options = $('datalist#keys-team option')
      .map((_, el) => $(el).attr('value'))
      .get();
    for (const name of hostileNames) expect(options).toContain(name);
  });

  test('are escaped in the demo JSON so they cannot close the script block', async () => {
    const html = await readFile(join(dist, demoFile), 'utf8');
    const $ = load(html);
    const block = $('script#declared-demo-data');
    expect(block.attr('type')).toBe('application/json');
    const raw = block.html() ?? '';
    expect(raw).not.toMatch(/[<>]/);
    const data = JSON.parse(raw) as { store: { keys: Record<string, string[]> } };
    for (const name of hostileNames) expect(data.store.keys.team).toContain(name);
    // Exactly the two scripts the page is built with, as a browser parses it: the data block and the demo module.
    expect(
      $('script')
        .map((_, el) => $(el).attr('type'))
        .get(),
    ).toEqual(['application/json', 'module']);
  });

  test.each(htmlFiles)('leave %s inert: no injected elements, handlers or scripts', async (file) => {
    const html = await readFile(join(dist, file), 'utf8');
    const $ = load(html);
    expect($('img[src="x"]')).toHaveLength(0);
    const handlers = $('*')
      .toArray()
      .flatMap((el) =>
        Object.keys((el as { attribs?: Record<string, string> }).attribs ?? {}).filter((name) =>
          /^on/i.test(name),
        ),
      );
    expect(handlers).toEqual([]);
    const inlineScripts = $('script:not([src])')
      .toArray()
      .filter((el) => $(el).attr('type') !== 'application/json');
    expect(inlineScripts).toHaveLength(0);
    if (file === demoFile) {
      // Markup-looking strings survive only inside quoted attribute values.
      const options = $('#declared-demo-form datalist option')
        .map((_, el) => $(el).attr('value'))
        .get();
      for (const name of hostileNames) expect(options).toContain(name);
    }
  });
});

// Skipped where the global setup found no browser (it says so, and never lets that pass under CI).
const chromiumPath = inject('chromiumPath');

describe.skipIf(chromiumPath === null)('the hostile demo in a browser', () => {
  let browser: Browser;
  let site: StaticSite;
  beforeAll(async () => {
    [browser, site] = await Promise.all([launchBrowser(chromiumPath!), serveStatic(dist)]);
  });
  afterAll(async () => {
    await Promise.all([browser?.close(), site?.close()]);
  });

  test('forecasts with hostile teams typed in and never opens a dialog', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    await page.goto(`${site.url}projects/${exampleSlug}/demo/`);
    await expect
      .poll(() => page.locator('#declared-demo-form[data-ready="true"]').count(), { timeout: 15_000 })
      .toBe(1);
    await page.fill('input[name="entity:home"]', hostileNames[0]!);
    await page.fill('input[name="entity:away"]', hostileNames[1]!);
    const result = page.locator('#declared-demo-result');
    await expect
      .poll(async () => JSON.parse((await result.getAttribute('data-request')) ?? 'null')?.entities, {
        timeout: 15_000,
      })
      .toEqual({ home: hostileNames[0], away: hostileNames[1] });
    const forecast = JSON.parse((await result.getAttribute('data-forecast'))!) as { p: number[] };
    expect(forecast.p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(await page.locator('#declared-demo-status').textContent()).toBe('');
    for (const path of [
      '',
      `projects/${exampleSlug}/`,
      `projects/${exampleSlug}/model-card/`,
      `projects/${exampleSlug}/walkthrough/`,
    ]) {
      await page.goto(site.url + path);
    }
    expect(dialogs).toEqual([]);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    await page.close();
  });
});
