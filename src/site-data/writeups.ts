import type { MarkdownInstance } from 'astro';

type MdxModule = { default: MarkdownInstance<Record<string, unknown>>['Content'] };

// `@content` is the workspace's content folder (astro.config.mjs), so tests can build other workspaces.
const writeups = import.meta.glob<MdxModule>('@content/projects/*/writeup.mdx');
const walkthroughs = import.meta.glob<MdxModule>('@content/projects/*/walkthrough.mdx');

async function find(modules: Record<string, () => Promise<MdxModule>>, slug: string, file: string) {
  const entry = Object.entries(modules).find(([path]) => path.endsWith(`/projects/${slug}/${file}`));
  return entry ? (await entry[1]()).default : undefined;
}

/** The builder's narrative around the generated project page, if they wrote one. */
export const loadWriteup = (slug: string) => find(writeups, slug, 'writeup.mdx');

/** The builder's interview walkthrough text, if they wrote one. */
export const loadWalkthrough = (slug: string) => find(walkthroughs, slug, 'walkthrough.mdx');
