/**
 * `npm run lighthouse`: audits the built site in dist/ with Lighthouse driving Debian's Chromium
 * (CHROMIUM_PATH to override), on a local server, with Lighthouse's default mobile emulation and
 * simulated throttling. Each page is audited LIGHTHOUSE_RUNS times (default 5) and the median
 * score of each category kept, as Lighthouse's docs on variability advise. Prints each page's four
 * scores and exits 1 if any is below 100.
 *
 * Three warm-up runs of the home page come first and are not scored: the first runs after Chromium
 * starts are cold and slow. They also measure the host's benchmark index. The audit uses
 * Lighthouse's default 4× CPU slowdown; on a host slower than Lighthouse expects (benchmark index
 * below 1,000, where Lighthouse itself warns), LIGHTHOUSE_CPU_MULTIPLIER=calibrate applies the
 * slowdown Lighthouse's calculator gives for the measured index (see cpu-calibration.ts), and a
 * number sets it outright.
 */
import { join } from 'node:path';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { listProjects } from '../portfolio/project-folders.ts';
import { workspaceAt } from '../portfolio/workspace.ts';
import { chromiumArgs, findChromium, missingChromiumMessage } from './chromium.ts';
import { calibratedCpuMultiplier, lighthouseDefaultMultiplier } from './cpu-calibration.ts';
import { pageWeight } from './page-weight.ts';
import { serveStatic } from './static-server.ts';

const categories = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const runs = Number(process.env.LIGHTHOUSE_RUNS ?? 5);
const multiplierSetting = process.env.LIGHTHOUSE_CPU_MULTIPLIER || undefined;
if (multiplierSetting && multiplierSetting !== 'calibrate' && !(Number(multiplierSetting) >= 1)) {
  console.error(`LIGHTHOUSE_CPU_MULTIPLIER must be "calibrate" or a number ≥ 1, not "${multiplierSetting}".`);
  process.exit(2);
}
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

const chromium = findChromium();
if (!chromium.found) {
  console.error(missingChromiumMessage(chromium));
  process.exit(2);
}
const site = await serveStatic(workspace.distDir, basePath);
const chrome = await chromeLauncher.launch({
  chromePath: chromium.path,
  chromeFlags: chromiumArgs,
});
let failed = false;
try {
  // Warm-up runs, not scored: they also measure how fast this host is.
  const calibration: number[] = [];
  for (let run = 0; run < 3; run++) {
    const result = await lighthouse(site.url, {
      port: chrome.port,
      output: 'json',
      logLevel: 'error',
      onlyCategories: ['performance'],
    });
    calibration.push(result?.lhr.environment.benchmarkIndex ?? Number.NaN);
  }
  const benchmarkIndex = median(calibration);
  const [cpuSlowdownMultiplier, how] =
    multiplierSetting === undefined
      ? [lighthouseDefaultMultiplier, "Lighthouse's default"]
      : multiplierSetting === 'calibrate'
        ? [calibratedCpuMultiplier(benchmarkIndex), "calibrated with Lighthouse's calculator"]
        : [Number(multiplierSetting), 'from LIGHTHOUSE_CPU_MULTIPLIER'];
  console.log(
    `Host benchmark index ${Math.round(benchmarkIndex)} (warm-up runs ${calibration.map(Math.round).join('/')}); CPU slowdown ${cpuSlowdownMultiplier}×, ${how}.`,
  );
  if (multiplierSetting === undefined && benchmarkIndex < 1000) {
    console.log(
      `Lighthouse expects a benchmark index of 1,000 or more at ${lighthouseDefaultMultiplier}×; on this host LIGHTHOUSE_CPU_MULTIPLIER=calibrate would use ${calibratedCpuMultiplier(benchmarkIndex)}×.`,
    );
  }
  console.log();
  const benchmarkIndexes: number[] = [];
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
        throttling: { cpuSlowdownMultiplier },
      });
      if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
      const applied = result.lhr.configSettings.throttling.cpuSlowdownMultiplier;
      if (applied !== cpuSlowdownMultiplier) {
        throw new Error(
          `Lighthouse ran with a ${applied}× CPU slowdown, not the ${cpuSlowdownMultiplier}× asked for.`,
        );
      }
      benchmarkIndexes.push(result.lhr.environment.benchmarkIndex);
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
  const sorted = benchmarkIndexes.sort((a, b) => a - b).map(Math.round);
  console.log(
    `\nBenchmark index during the audit: ${sorted[0]}–${sorted.at(-1)} (median ${median(sorted)}) at ${cpuSlowdownMultiplier}× CPU slowdown.`,
  );
} finally {
  chrome.kill();
  await site.close();
}
console.log(
  '\nPage weight (HTML, scripts, styles, images and icon; the budget is test/site/page-budget.ts):',
);
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
for (const page of pages) {
  const weight = await pageWeight(workspace.distDir, join(page, 'index.html'), basePath);
  console.log(
    `${`/${page}`.padEnd(48)} ${kib(weight.bytes).padStart(10)} raw  ${kib(weight.gzipBytes).padStart(9)} gzip  ${kib(weight.scriptBytes).padStart(8)} JavaScript`,
  );
}
console.log(`\nAudited ${pages.length} page(s) of ${join(workspace.distDir)} (${basePath}).`);
process.exitCode = failed ? 1 : 0;
