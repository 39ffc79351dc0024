import { defineCollection } from 'astro:content';
import { pathToFileURL } from 'node:url';
import { glob } from 'astro/loaders';
import { workspaceAt } from '../portfolio/workspace.ts';

// Content comes from the workspace (MLFOLIO_ROOT, or the repository), not from src/, so the
// same site code publishes any portfolio folder.
const projects = pathToFileURL(`${workspaceAt().projectsDir}/`);

/** One MDX file per project folder, keyed by the project's slug. */
const perProject = (file: string) =>
  defineCollection({
    loader: glob({ pattern: `*/${file}`, base: projects, generateId: ({ entry }) => entry.split('/')[0]! }),
  });

export const collections = {
  /** Each project's hand-written narrative around the generated sections: content/projects/<slug>/writeup.mdx. */
  writeups: perProject('writeup.mdx'),
  /** Each project's interview walkthrough: content/projects/<slug>/walkthrough.mdx. */
  walkthroughs: perProject('walkthrough.mdx'),
};
