import { defineCollection } from 'astro:content';
import { pathToFileURL } from 'node:url';
import { glob } from 'astro/loaders';
import { workspaceAt } from '../portfolio/workspace.ts';

// Content comes from the workspace (MLFOLIO_ROOT, or the repository), not from src/, so the
// same site code publishes any portfolio folder.
const projects = pathToFileURL(`${workspaceAt().projectsDir}/`);

export const collections = {
  /** Each project's hand-written narrative: content/projects/<slug>/writeup.mdx. */
  writeups: defineCollection({
    loader: glob({
      pattern: '*/writeup.mdx',
      base: projects,
      generateId: ({ entry }) => entry.split('/')[0]!,
    }),
  }),
};
