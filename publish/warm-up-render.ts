import type { Spec } from 'vega';

/**
 * What the site build does while it waits, bundled, for the runs to finish: it loads the modules
 * its pages draw with (Vega, SVGO, resvg and its fonts) and draws one chart and one social card,
 * which it throws away. The pages import the same modules from node_modules (the bundle leaves them
 * external), so they find them loaded and much of their code compiled: that work leaves the render,
 * which runs on one core after the last run, for the wait, which overlaps the runs.
 *
 * Not Vega-Lite: it assigns `Set.prototype.toJSON`, and loaded before Astro has finished its own
 * bookkeeping of the bundle it makes Astro look for a file named "toJSON". The pages load it later.
 *
 * A warm-up, never a result: the build process ignores a failure (the page that needs the module
 * reports it when it renders); the error is returned for the tests.
 */
export async function warmUpRender(): Promise<{ error?: unknown }> {
  try {
    const [vega, { optimiseSvg }, { socialImagePng }] = await Promise.all([
      import('vega'),
      import('../src/charts/optimise-svg.ts'),
      import('../src/site-data/social-image.ts'),
    ]);
    const view = new vega.View(vega.parse(sampleChart), { renderer: 'none' });
    optimiseSvg(await view.toSVG());
    view.finalize();
    socialImagePng({
      builder: 'A builder',
      title: 'A title long enough to wrap onto a second line of the card',
      facts: undefined,
    });
    return {};
  } catch (error) {
    return { error };
  }
}

/** A small Vega line chart with points, axes and a legend: the marks the site's charts use most. */
const sampleChart: Spec = {
  width: 200,
  height: 100,
  data: [
    {
      name: 'points',
      values: Array.from({ length: 24 }, (_, i) => ({ x: i, y: (i * 7) % 11, group: i % 2 ? 'a' : 'b' })),
    },
  ],
  scales: [
    { name: 'x', type: 'linear', domain: { data: 'points', field: 'x' }, range: 'width' },
    { name: 'y', type: 'linear', domain: { data: 'points', field: 'y' }, range: 'height', nice: true },
    { name: 'colour', type: 'ordinal', domain: { data: 'points', field: 'group' }, range: 'category' },
  ],
  axes: [
    { orient: 'bottom', scale: 'x', title: 'x' },
    { orient: 'left', scale: 'y', title: 'y', grid: true },
  ],
  legends: [{ fill: 'colour', title: 'group' }],
  marks: [
    {
      type: 'group',
      from: { facet: { name: 'series', data: 'points', groupby: 'group' } },
      marks: [
        {
          type: 'line',
          from: { data: 'series' },
          encode: {
            enter: {
              x: { scale: 'x', field: 'x' },
              y: { scale: 'y', field: 'y' },
              stroke: { scale: 'colour', field: 'group' },
            },
          },
        },
      ],
    },
    {
      type: 'symbol',
      from: { data: 'points' },
      encode: {
        enter: {
          x: { scale: 'x', field: 'x' },
          y: { scale: 'y', field: 'y' },
          fill: { scale: 'colour', field: 'group' },
          size: { value: 20 },
        },
      },
    },
  ],
};
