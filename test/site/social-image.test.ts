import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, inject, test } from 'vitest';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { runFacts } from '../../src/site-data/run-facts.ts';
import { type SocialCard, socialImageSvg, wrapText } from '../../src/site-data/social-image.ts';
import { hostileNames, latestExampleRunDir } from './workspaces.ts';

describe('wrapText', () => {
  const nineChars = (line: string) => line.length <= 9;

  test('wraps on word boundaries and ends a cut text with an ellipsis', () => {
    expect(wrapText('one two three four', nineChars, 3)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('one two three four five six', nineChars, 2)).toEqual(['one two', 'three…']);
  });

  test('breaks a word too long for any line', () => {
    expect(wrapText('a Wolfeschlegelsteinhausen b', nineChars, 5)).toEqual([
      'a',
      'Wolfeschl',
      'egelstein',
      'hausen b',
    ]);
  });
});

const background = [0x12, 0x16, 0x1d];

/** The card as the build draws it, and which of its pixels carry ink (anything but the background). */
function draw(card: SocialCard) {
  const svg = socialImageSvg(card);
  const image = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'original' },
  }).render();
  const pixels = image.pixels; // a getter that copies the whole image: read it once
  const ink = (x: number, y: number) => {
    const i = (y * image.width + x) * 4;
    return background.some((value, c) => Math.abs(pixels[i + c]! - value) > 24);
  };
  return { svg, width: image.width, height: image.height, ink };
}

/** How many pixels carry ink from column `x0` to the right edge (the accent bar is left of x = 16). */
function inkFrom(card: ReturnType<typeof draw>, x0: number): number {
  let count = 0;
  for (let y = 0; y < card.height; y++) for (let x = x0; x < card.width; x++) if (card.ink(x, y)) count++;
  return count;
}

describe('the social preview', () => {
  test("draws the example's title, headline and result inside the card, clear of the right edge", async () => {
    const runDir = await latestExampleRunDir(inject('exampleRoot'));
    const run = JSON.parse(await readFile(join(runDir, 'run.json'), 'utf8')) as RunRecord;
    const card = draw({
      builder: 'Alex Rivera',
      title: 'Football match outcomes',
      facts: runFacts(run, 'test'),
    });
    expect([card.width, card.height]).toEqual([1200, 630]);
    expect(card.svg).toContain('Football match outcomes');
    expect(card.svg).toContain(run.impact!.headline.split(' ').slice(0, 4).join(' '));
    // Text starts at x = 80 and keeps a 60 px right margin; the text column has plenty of ink.
    expect(inkFrom(card, 1140)).toBe(0);
    expect(inkFrom(card, 80)).toBeGreaterThan(20_000);
  });

  test('wraps long titles and names by their drawn width, so wide letters never run off the card', () => {
    const card = draw({
      builder: 'Maximilian Wolfgang Montgomery-Whitworth of the Western Woodlands Workshop',
      title: 'WWWWWW MMMMMMM WWWWWWW MMMMMMMM WWWWW MMMMM WWWW MMMM',
      facts: undefined,
    });
    expect(inkFrom(card, 1140)).toBe(0);
    // Two title lines at most, the second cut with an ellipsis.
    const titleLines = card.svg.match(/<text[^>]*font-size="64"[^>]*>[^<]*<\/text>/g) ?? [];
    expect(titleLines).toHaveLength(2);
    expect(titleLines[1]).toMatch(/…<\/text>$/);
  });

  test('draws hostile names as escaped text', () => {
    const card = draw({ builder: hostileNames[1]!, title: hostileNames[0]!, facts: undefined });
    expect(card.svg).not.toContain('<script>');
    expect(card.svg).not.toContain('<img');
    expect(card.svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(inkFrom(card, 80)).toBeGreaterThan(1_000);
  });
});
