import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { optimiseSvg } from './optimise-svg.ts';

/** Colours that read on light and dark backgrounds alike. */
export const palette = ['#2b6cb0', '#c05621', '#2f855a', '#805ad5', '#b83280', '#718096'];

/**
 * Renders a Vega-Lite spec to an SVG string at build time: no client JavaScript. Vega escapes
 * every text it draws, so scraped strings reach the page as text.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  return optimiseSvg(await vegaSvg(spec));
}

/** Vega's own SVG of a spec, themed for the site and sized to shrink with its container. */
export async function vegaSvg(spec: TopLevelSpec): Promise<string> {
  const themed = {
    background: null,
    config: {
      // The figure around each chart carries role="img" and a text alternative, so per-mark ARIA
      // attributes would be hidden anyway; leaving them out halves the size of point-heavy charts.
      aria: false,
      font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      axis: {
        labelColor: '#718096',
        titleColor: '#718096',
        gridColor: '#71809633',
        domainColor: '#718096',
        tickColor: '#718096',
      },
      legend: { labelColor: '#718096', titleColor: '#718096' },
      title: { color: '#718096' },
      view: { stroke: null },
      range: { category: palette },
    },
    ...spec,
  } as TopLevelSpec;
  const view = new vega.View(vega.parse(compile(themed).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  // Vega still tags mark groups with graphics roles; without labels those fail accessibility audits.
  const plain = svg.replace(/ role="graphics-[a-z]+"| aria-roledescription="[^"]*"/g, '');
  // Keep the natural width as the largest size and let CSS shrink it (max-width: 100%; height: auto):
  // the viewBox keeps the aspect ratio, so text never grows past its designed size.
  return plain.replace(
    /^<svg([^>]*?) width="([\d.]+)" height="([\d.]+)"/,
    '<svg$1 width="$2" preserveAspectRatio="xMinYMin meet"',
  );
}
