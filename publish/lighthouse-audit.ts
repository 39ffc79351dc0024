/**
 * `npm run lighthouse`: audits the built site in dist/ with Lighthouse driving Debian's Chromium
 * (CHROMIUM_PATH to override), on a local server, with Lighthouse's default mobile emulation and
 * simulated throttling. Each page is audited LIGHTHOUSE_RUNS times (default 3) and the median
 * score of each category kept, as Lighthouse's docs advise for its run-to-run variance on a busy
 * machine. Prints each page's four scores and exits 1 if any is below 100.
 */
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { listProjects } from '../portfolio/project-spec.ts';
import { workspaceAt } from '../portfolio/workspace.ts';
import { chromiumArgs, chromiumPath } from './chromium.ts';
import { serveStatic } from './static-server.ts';

const categories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const workspace = workspaceAt();
const basePath = process.env.BASE_PATH ?? '/';
const slug = (await listProjects(workspace))[0];
const pages = [
  '',
  ...(slug
    ? [
        `projects/${slug}/`,
        `projects/${slug}/walkthrough/`,
        `projects/${slug}/model-card/`,
        `projects/${slug}/demo/`,
      ]
    : []),
];

const site = await serveStatic(workspace.distDir, basePath);
const chrome = await chromeLauncher.launch({
  chromePath: chromiumPath,
  chromeFlags: chromiumArgs,
});
let failed = false;
try {
  for (const page of pages) {
    const url = site.url + page;
    const samples: number[][] = [];
    const failing = new Set<string>();
    for (let run = 0; run < runs; run++) {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: [...categories],
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
      samples.push(categories.map((id) => Math.round((result.lhr.categories[id]?.score ?? 0) * 100)));
      for (const audit of Object.values(result.lhr.audits)) {
        const scored = audit.scoreDisplayMode !== 'informative' && audit.scoreDisplayMode !== 'manual';
        if (scored && audit.score !== null && audit.score < 1) {
          failing.add(`${audit.id}: ${audit.title}${audit.displayValue ? ` (${audit.displayValue})` : ''}`);
        }
      }
    }
    const scores = categories.map((_, i) => median(samples.map((sample) => sample[i]!)));
    failed ||= scores.some((score) => score < 100);
    const spread = categories.map((_, i) => samples.map((sample) => sample[i]).join('/'));
    console.log(`${`/${page}`.padEnd(48)} ${categories.map((id, i) => `${id} ${scores[i]}`).join('  ')}`);
    console.log(`    runs: ${categories.map((id, i) => `${id} ${spread[i]}`).join('  ')}`);
    for (const line of failing) console.log(`    ${line}`);
  }
} finally {
  chrome.kill();
  await site.close();
}
console.log(`\nAudited ${pages.length} page(s) of ${join(workspace.distDir)} (${basePath}).`);
process.exitCode = failed ? 1 : 0;
