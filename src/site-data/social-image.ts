import { Resvg } from '@resvg/resvg-js';
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
const fontOptions = { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' };
const layout = { width: 1200, height: 630, left: 80, right: 60 };

/** The width resvg draws `text` at, with the fonts it will draw the card with. */
function textWidth(text: string, size: number, weight: number): number {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="8000" height="${size * 2}" font-family="${fontFamily}"><text x="0" y="${size}" font-size="${size}" font-weight="${weight}">${escapeText(text)}</text></svg>`;
  const box = new Resvg(svg, { font: fontOptions }).getBBox();
  return box ? box.x + box.width : 0;
}

/** Wraps `text` to the card's text column as drawn at this size and weight. */
function wrapToCard(text: string, size: number, weight: number, maxLines: number): string[] {
  const room = layout.width - layout.left - layout.right;
  return wrapText(text, (line) => textWidth(line, size, weight) <= room, maxLines);
}

export interface SocialCard {
  builder: string;
  title: string;
  facts: RunFacts | undefined;
}

/** The 1200×630 social preview of a project as SVG: title, impact headline (or an honest absence) and the best result. */
export function socialImageSvg({ builder, title, facts }: SocialCard): string {
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
  const titleLines = wrapToCard(title, 64, 700, 2);
  const headlineY = 250 + (titleLines.length - 1) * 80;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${layout.width}" height="${layout.height}" viewBox="0 0 ${layout.width} ${layout.height}" font-family="${fontFamily}">
<rect width="1200" height="630" fill="#12161d"/>
<rect x="0" y="0" width="16" height="630" fill="#90cdf4"/>
${text(layout.left, 110, 30, 400, '#a0aec0', wrapToCard(builder, 30, 400, 1))}
${text(layout.left, 200, 64, 700, '#ffffff', titleLines)}
${text(layout.left, headlineY + 40, 36, 400, '#90cdf4', wrapToCard(headline, 36, 400, titleLines.length === 1 ? 4 : 3))}
${text(layout.left, 560, 24, 400, '#cbd5e0', wrapToCard(result, 24, 400, 2))}
</svg>`;
}

export function socialImagePng(card: SocialCard): Uint8Array {
  const resvg = new Resvg(socialImageSvg(card), { font: fontOptions, fitTo: { mode: 'original' } });
  return resvg.render().asPng();
}
