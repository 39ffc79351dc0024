import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../charts/render-svg.ts';
import { renderThreadsKey } from './render-threads-key.ts';
import { type SocialCard, socialImagePng } from './social-image.ts';

/**
 * Where the pages' heaviest drawing runs: charts (Vega, then SVGO) and social previews (resvg),
 * together about half of the time the build spends rendering pages. The build process
 * (publish/astro-build-process.ts) installs worker threads for them, so the build renders other
 * pages meanwhile and uses every core; anywhere else they are drawn on the calling thread. Either
 * way the same code draws the same bytes.
 */
export interface RenderThreads {
  chartSvg(spec: TopLevelSpec): Promise<string>;
  socialImagePng(card: SocialCard): Promise<Uint8Array>;
}

const onThisThread: RenderThreads = {
  chartSvg: renderSvg,
  socialImagePng: async (card) => socialImagePng(card),
};

export function renderThreads(): RenderThreads {
  return (globalThis as { [renderThreadsKey]?: RenderThreads })[renderThreadsKey] ?? onThisThread;
}
