import { getEntry, render } from 'astro:content';

/** The builder's narrative around the generated project page, if they wrote one. */
export async function loadWriteup(slug: string) {
  const entry = await getEntry('writeups', slug);
  return entry ? (await render(entry)).Content : undefined;
}

/** The builder's interview walkthrough text, if they wrote one. */
export async function loadWalkthrough(slug: string) {
  const entry = await getEntry('walkthroughs', slug);
  return entry ? (await render(entry)).Content : undefined;
}
