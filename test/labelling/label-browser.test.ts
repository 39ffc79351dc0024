import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabelLog } from '../../labelling/label-log.ts';
import { LabelState } from '../../labelling/label-state.ts';
import { findChromium } from '../../publish/chromium.ts';
import { browserSuitePlan, launchBrowser } from '../site/browser.ts';
import { competitionClasses, competitionRows, writeCompetitionTask } from './task-fixture.ts';

const bin = join(import.meta.dirname, '..', '..', 'cli', 'bin.ts');
// Every server this file starts, so a failing test does not leave one running.
const children: ChildProcess[] = [];

/** Starts `mlfolio label` as a real child process and resolves with its URL. */
function startServer(taskDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [bin, 'label', taskDir, '--port', '0', '--annotator', 'tester'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /at (http:\/\/\S+) —/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.on('exit', (code) => reject(new Error(`mlfolio label exited with ${code}: ${err}`)));
  });
}

function killed(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const itemShown = (page: Page) => page.evaluate(() => document.body.dataset.item ?? '');

// Without a browser this suite is skipped, saying how to install one; under CI it fails instead.
const plan = browserSuitePlan(process.env, findChromium());
if (!plan.run) {
  if (plan.fail) throw new Error(plan.message);
  console.warn(plan.message);
}

describe.skipIf(!plan.run)('labelling in the browser with the keyboard alone', () => {
  let browser: Browser;
  beforeAll(async () => {
    if (plan.run) browser = await launchBrowser(plan.path);
  });
  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await browser?.close();
  });

  it('labels 50 items, survives SIGKILL of the server midway, and keeps every acknowledged label', async () => {
    // Item text is scraped data: every home team carries markup that must show as text.
    const rows = competitionRows(60).map((row) => ({
      ...row,
      home: `${row.home} <img src=x onerror="window.pwned=1">`,
    }));
    const dir = await writeCompetitionTask(
      60,
      {
        labellingFunctions: [
          {
            name: 'friendly',
            label: 'friendly',
            when: [{ field: 'tournament', op: 'equals', value: 'Friendly' }],
          },
        ],
      },
      rows,
    );
    const expected = new Map<string, string>();
    const keyOf = (label: string) => String(competitionClasses.indexOf(label) + 1);
    let pressed = 0;
    let usedEnter = 0;

    /** Labels one item with the keyboard and waits for the server's acknowledgement (the next item). */
    async function labelOne(page: Page): Promise<void> {
      const item = await itemShown(page);
      expect(item).toMatch(/^m\d{4}$/);
      expect(await page.locator('#context img').count()).toBe(0);
      const suggestion = await page.locator('#suggestion').textContent();
      let label: string;
      if (suggestion?.startsWith('Suggestion (Enter): friendly')) {
        label = 'friendly';
        await page.keyboard.press('Enter');
        usedEnter++;
      } else {
        label = competitionClasses[pressed % competitionClasses.length]!;
        await page.keyboard.press(keyOf(label));
      }
      pressed++;
      expected.set(item, label);
      await page.waitForFunction((count) => document.body.dataset.labelled === String(count), expected.size);
      await page.waitForFunction((previous) => document.body.dataset.item !== previous, item);
    }

    let server = await startServer(dir);
    let page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#context td', { hasText: '<img src=x' }).count()).toBe(1);
    for (let n = 0; n < 12; n++) await labelOne(page);

    // Backspace undoes the last label and shows its item again; another key relabels it.
    const beforeUndo = await itemShown(page);
    await page.keyboard.press('Backspace');
    await page.waitForFunction((previous) => document.body.dataset.item !== previous, beforeUndo);
    const undoneItem = await itemShown(page);
    expect(expected.has(undoneItem)).toBe(true);
    await expect.poll(() => page.locator('#status').textContent()).toContain('Undid');
    expected.delete(undoneItem);
    await page.keyboard.press(keyOf('other'));
    expected.set(undoneItem, 'other');
    await page.waitForFunction((previous) => document.body.dataset.item !== previous, undoneItem);
    await expect.poll(() => page.evaluate(() => document.body.dataset.labelled)).toBe(String(expected.size));
    pressed++;

    // Arrows move back to the labelled item (showing its label) and forward again.
    const current = await itemShown(page);
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction((previous) => document.body.dataset.item !== previous, current);
    expect(await itemShown(page)).toBe(undoneItem);
    await expect.poll(() => page.locator('#status').textContent()).toContain('Labelled other');
    await page.keyboard.press('ArrowRight');
    await page.waitForFunction((previous) => document.body.dataset.item === previous, current);

    for (let n = expected.size; n < 25; n++) await labelOne(page);
    expect(expected.size).toBe(25);
    const beforeKill = new Map(expected);
    await killed(server.child);
    await page.close();

    server = await startServer(dir);
    page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.locator('#progress').textContent()).toBe('25 / 60 labelled');
    expect(beforeKill.has(await itemShown(page))).toBe(false);
    while (expected.size < 50) await labelOne(page);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
    await killed(server.child);
    await page.close();

    const state = LabelState.replay(
      readLabelLog(join(dir, 'labels', 'competition-importance.labels.jsonl')).records,
    );
    const recorded = new Map(state.current().map((l) => [l.item, l.label]));
    for (const [item, label] of beforeKill)
      expect(recorded.get(item), `label of ${item} submitted before the kill`).toBe(label);
    expect(recorded).toEqual(expected);
    expect(
      state.current().every((l) => l.annotator === 'tester' && l.timeMs > 0 && l.guidelineVersion === 'v1'),
    ).toBe(true);
    expect(state.current().filter((l) => l.suggestion?.label === 'friendly').length).toBeGreaterThanOrEqual(
      usedEnter,
    );
    expect(usedEnter).toBeGreaterThan(0);
  });
});
