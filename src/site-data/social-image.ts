import { Resvg } from '@resvg/resvg-js';
import { escapeXml as escapeText } from './escape-xml.ts';
import { formatAmount, formatInterval, formatValue, metricLabel } from './format.ts';
import { policyLabel, type RunFacts } from './run-facts.ts';

/** Greedy word wrap to at most `maxLines` lines of `width` characters, with an ellipsis if cut. */
export function wrapText(text: string, width: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && `${line} ${word}`.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length > maxLines) {
    const kept = lines.slice(0, maxLines);
    kept[maxLines - 1] = `${kept[maxLines - 1]!.slice(0, width - 1)}…`;
    return kept;
  }
  return lines;
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
  const titleLines = wrapText(title, 30, 2);
  const headlineY = 250 + (titleLines.length - 1) * 80;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630" viewBox="0 0 1200 630" font-family="DejaVu Sans, sans-serif">
<rect width="1200" height="630" fill="#12161d"/>
<rect x="0" y="0" width="16" height="630" fill="#90cdf4"/>
${text(80, 110, 30, 400, '#a0aec0', [builder])}
${text(80, 200, 64, 700, '#ffffff', titleLines)}
${text(80, headlineY + 40, 36, 400, '#90cdf4', wrapText(headline, 52, 3))}
${text(80, 560, 24, 400, '#cbd5e0', wrapText(result, 80, 2))}
</svg>`;
}

export function socialImagePng(card: SocialCard): Uint8Array {
  const resvg = new Resvg(socialImageSvg(card), {
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    fitTo: { mode: 'width', value: 1200 },
  });
  return resvg.render().asPng();
}
