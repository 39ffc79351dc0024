import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import { escapeXml as escapeText } from './escape-xml.ts';
import { formatAmount, formatInterval, formatValue, metricLabel } from './format.ts';
import { policyLabel, type RunFacts } from './run-facts.ts';

/**
 * Greedy word wrap to at most `maxLines` lines, each one that `fits`; a word too long for a line
 * on its own is broken, and a cut text ends with an ellipsis.
 */
export function wrapText(text: string, fits: (line: string) => boolean, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const joined = line ? `${line} ${word}` : word;
    if (fits(joined)) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (!fits(line) && line.length > 1) {
      let cut = line.length - 1;
      while (cut > 1 && !fits(line.slice(0, cut))) cut--;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines;
  const kept = lines.slice(0, maxLines);
  // Cut whole words where the line has several, so "(95% CI +80 to" never ends as "(95% CI +80 t…".
  let last = kept[maxLines - 1]!;
  while (!fits(`${last}…`) && last.includes(' ')) last = last.slice(0, last.lastIndexOf(' '));
  while (!fits(`${last}…`) && last.length > 0) last = last.slice(0, -1);
  kept[maxLines - 1] = `${last.trimEnd()}…`;
  return kept;
}

const fontFamily = 'DejaVu Sans, sans-serif';
const layout = { width: 1200, height: 630, left: 80, right: 60 };

/**
 * The fonts resvg draws the card with. Every Resvg loads its fonts anew, and the card measures
 * each candidate line with one (about 60 per card): scanning the system's fonts each time cost
 * 0.4 s a card. DejaVu Sans (regular and bold, the only faces the card uses) is loaded from its
 * files when they are where Debian and Ubuntu put them and every character of the card has a
 * glyph in them (`dejavuCovers`); otherwise resvg searches the system's fonts, as before, so a
 * name in another script still falls back to a font that draws it.
 */
function fontOptions(texts: readonly string[]): FontOptions {
  return dejavuFiles.length > 0 && texts.every(dejavuCovers)
    ? { loadSystemFonts: false, fontFiles: dejavuFiles, defaultFontFamily: 'DejaVu Sans' }
    : systemFontOptions;
}

type FontOptions = NonNullable<ResvgRenderOptions['font']>;
const systemFontOptions: FontOptions = { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' };

const dejavuDir = '/usr/share/fonts/truetype/dejavu';
const dejavuFiles = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf'].map((name) => join(dejavuDir, name));
// Checked once per process: the site build renders every project's card in one.
if (!dejavuFiles.every((file) => existsSync(file))) dejavuFiles.length = 0;

/**
 * Characters DejaVu Sans has in both weights: Basic Latin, Latin-1, Latin Extended-A and B, Greek,
 * Cyrillic, general punctuation (dashes, quotes, ellipsis, bullet, per mille), the euro and the
 * minus sign. test/site-data/social-image-fonts.test.ts checks them against the fonts' character maps.
 */
export const dejavuRanges: readonly (readonly [number, number])[] = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x384, 0x38a],
  [0x38c, 0x38c],
  [0x38e, 0x3a1],
  [0x3a3, 0x3ce],
  [0x400, 0x4ff],
  [0x2010, 0x2027],
  [0x2030, 0x203a],
  [0x20ac, 0x20ac],
  [0x2212, 0x2212],
];
const hex = (code: number) => `\\u{${code.toString(16)}}`;
const coveredByDejavu = new RegExp(
  `^[${dejavuRanges.map(([from, to]) => (from === to ? hex(from) : `${hex(from)}-${hex(to)}`)).join('')}]*$`,
  'u',
);

/** Whether DejaVu Sans (regular and bold) has a glyph for every character of `text`. */
export function dejavuCovers(text: string): boolean {
  return coveredByDejavu.test(text);
}

/** The width resvg draws `text` at, with the fonts it will draw the card with. */
function textWidth(text: string, size: number, weight: number, font: FontOptions): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="8000" height="${size * 2}" font-family="${fontFamily}"><text x="0" y="${size}" font-size="${size}" font-weight="${weight}">${escapeText(text)}</text></svg>`;
  const box = new Resvg(svg, { font }).getBBox();
  return box ? box.x + box.width : 0;
}

/** Wraps `text` to the card's text column as drawn at this size and weight. */
function wrapToCard(
  text: string,
  size: number,
  weight: number,
  maxLines: number,
  font: FontOptions,
): string[] {
  const room = layout.width - layout.left - layout.right;
  return wrapText(text, (line) => textWidth(line, size, weight, font) <= room, maxLines);
}

export interface SocialCard {
  builder: string;
  title: string;
  facts: RunFacts | undefined;
}

/** The 1200×630 social preview of a project as SVG: title, impact headline (or an honest absence) and the best result. */
export function socialImageSvg(card: SocialCard): string {
  return drawCard(card, false).svg;
}

/**
 * The card as PNG. `systemFonts` measures and draws it with the system's fonts even where the
 * DejaVu files would do, as the build did before (the benchmark and tests compare the two).
 */
export function socialImagePng(card: SocialCard, options: { systemFonts?: boolean } = {}): Uint8Array {
  const { svg, font } = drawCard(card, options.systemFonts ?? false);
  return new Resvg(svg, { font, fitTo: { mode: 'original' } }).render().asPng();
}

/** The card's SVG, and the fonts its lines were measured with (which must draw it too). */
function drawCard(
  { builder, title, facts }: SocialCard,
  systemFonts: boolean,
): { svg: string; font: FontOptions } {
  const impact = facts?.impact;
  const gain = facts?.headlineGain;
  const headline = impact
    ? `${impact.headline}${gain ? ` (${formatAmount(gain.difference.value, impact.unit, true)} over ${policyLabel(impact, gain.over)})` : ''}`
    : 'Impact not measured yet';
  const result = facts
    ? `${facts.best.label}: ${metricLabel(facts.metric)} ${formatValue(facts.metric, facts.best.metrics[facts.metric]!.value)} (95% CI ${formatInterval(facts.metric, facts.best.metrics[facts.metric]!)}) on ${facts.run.split.test.rows.toLocaleString('en-GB')} held-out rows`
    : 'Not run yet';
  const text = (
    x: number,
    y: number,
    size: number,
    weight: number,
    fill: string,
    lines: string[],
    gap = 1.25,
  ) =>
    lines
      .map(
        (line, i) =>
          `<text x="${x}" y="${y + i * size * gap}" font-size="${size}" font-weight="${weight}" fill="${fill}">${escapeText(line)}</text>`,
      )
      .join('');
  // wrapText may end a line with an ellipsis.
  const font = systemFonts ? systemFontOptions : fontOptions([builder, title, headline, result, '…']);
  const titleLines = wrapToCard(title, 64, 700, 2, font);
  const headlineY = 250 + (titleLines.length - 1) * 80;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${fontFamily}">
<rect width="1200" height="630" fill="#12161d"/>
<rect x="0" y="0" width="16" height="630" fill="#90cdf4"/>
${text(layout.left, 110, 30, 400, '#a0aec0', wrapToCard(builder, 30, 400, 1, font))}
${text(layout.left, 200, 64, 700, '#ffffff', titleLines)}
${text(layout.left, headlineY + 40, 36, 400, '#90cdf4', wrapToCard(headline, 36, 400, titleLines.length === 1 ? 4 : 3, font))}
${text(layout.left, 560, 24, 400, '#cbd5e0', wrapToCard(result, 24, 400, 2, font))}
</svg>`;
  return { svg, font };
}
