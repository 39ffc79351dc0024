/**
 * A job of the site build's render threads (see src/site-data/render-threads.ts): draws a chart or
 * a social preview with the code the pages would run themselves.
 */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../src/charts/render-svg.ts';
import { type SocialCard, socialImagePng } from '../src/site-data/social-image.ts';

export type RenderJob = { kind: 'chart'; spec: TopLevelSpec } | { kind: 'social'; card: SocialCard };

export default async function render(job: RenderJob): Promise<string | Uint8Array> {
  return job.kind === 'chart' ? renderSvg(job.spec) : socialImagePng(job.card);
}
