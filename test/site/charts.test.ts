import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { describe, expect, inject, test } from 'vitest';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { backtestSpec } from '../../src/charts/backtest.ts';
import { calibrationSpec } from '../../src/charts/calibration.ts';
import { impactSpec } from '../../src/charts/impact.ts';
import { importanceSpec } from '../../src/charts/importance.ts';
import { modelComparisonSpec } from '../../src/charts/model-comparison.ts';
import { partialDependenceSpecs } from '../../src/charts/partial-dependence.ts';
import { renderSvg, vegaSvg } from '../../src/charts/render-svg.ts';
import { latestExampleRunDir } from './workspaces.ts';

async function exampleRun(): Promise<RunRecord> {
  const runDir = await latestExampleRunDir(inject('exampleRoot'));
  return JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as RunRecord;
}

/** Rasterises an SVG on white, at its own size, with the DejaVu fonts Chromium's package brings. */
function pixels(svg: string) {
  const image = new Resvg(svg, {
    background: 'white',
    fitTo: { mode: 'original' },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render();
  return { width: image.width, height: image.height, rgba: image.pixels };
}

/** How many pixels differ visibly between two rasterisations of the same size. */
function changedPixels(a: ReturnType<typeof pixels>, b: ReturnType<typeof pixels>): number {
  let changed = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    const delta = Math.max(
      Math.abs(a.rgba[i]! - b.rgba[i]!),
      Math.abs(a.rgba[i + 1]! - b.rgba[i + 1]!),
      Math.abs(a.rgba[i + 2]! - b.rgba[i + 2]!),
    );
    if (delta > 16) changed++;
  }
  return changed;
}

const elements = (svg: string) => svg.match(/<[a-z]/gi)?.length ?? 0;

describe('the charts of the example run', () => {
  test('draw the same picture after SVGO as Vega drew, with far fewer elements', async () => {
    const run = await exampleRun();
    const specs: [string, TopLevelSpec | undefined][] = [
      ['model comparison', modelComparisonSpec(run)],
      ['impact', impactSpec(run)],
      ['calibration', calibrationSpec(run)],
      ['importance', importanceSpec(run)],
      ['backtest', backtestSpec(run)],
      ...partialDependenceSpecs(run).map(({ feature, spec }): [string, TopLevelSpec] => [
        `partial dependence on ${feature}`,
        spec,
      ]),
    ];
    expect(specs.filter(([, spec]) => !spec).map(([name]) => name)).toEqual([]);
    let before = 0;
    let after = 0;
    for (const [name, spec] of specs) {
      const [raw, optimised] = await Promise.all([vegaSvg(spec!), renderSvg(spec!)]);
      before += elements(raw);
      after += elements(optimised);
      const a = pixels(raw);
      const b = pixels(optimised);
      expect({ name, width: b.width, height: b.height }).toEqual({ name, width: a.width, height: a.height });
      // Merged paths may anti-alias a few edge pixels differently; a lost dash, weight or mark moves dozens.
      const changed = changedPixels(a, b);
      expect(changed, `${name}: ${changed} of ${a.width * a.height} pixels changed`).toBeLessThanOrEqual(8);
      // The comparison covers the text too: without fonts, labels would draw nothing either way.
      const unlabelled = pixels(raw.replace(/<text[^>]*>[^<]*<\/text>/g, ''));
      expect(changedPixels(a, unlabelled), `${name}: labels are drawn`).toBeGreaterThan(100);
    }
    expect(after).toBeLessThan(before * 0.5);
  });

  test('the impact chart draws its zero line across the whole plot', async () => {
    const svg = await renderSvg(impactSpec(await exampleRun())!);
    const zero = svg.match(/<path[^>]*stroke-dasharray[^>]*>/)?.[0];
    expect(zero, 'a dashed path for gain zero').toBeDefined();
    // A vertical segment as tall as the plot (two rows of 34 px), not a zero-length mark.
    const length = Number(zero!.match(/d="M[\d.]+ [\d.]+v([\d.]+)/)?.[1]);
    expect(length).toBeGreaterThanOrEqual(60);
  });
});
