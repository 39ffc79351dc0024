import { join } from 'node:path';
import { z } from 'zod';
import type { Workspace } from './workspace.ts';
import { readYamlFile } from './yaml-file.ts';

export const portfolioConfigSchema = z.strictObject({
  builder: z.strictObject({
    name: z.string().min(1),
    headline: z.string().min(1),
    /** Plain text; `backticks` mark code, as in the audit's hints. */
    about: z.string().min(1),
    links: z.array(z.strictObject({ label: z.string(), url: z.url() })).default([]),
  }),
  site: z
    .strictObject({
      title: z.string().min(1),
      description: z.string().min(1),
      /** The absolute URL the site is published at; used for the sitemap, RSS and social previews. */
      url: z.url().default('https://example.github.io'),
    })
    .prefault({ title: 'ML portfolio', description: 'End-to-end machine-learning projects.' }),
});
export type PortfolioConfig = z.output<typeof portfolioConfigSchema>;

export async function loadPortfolioConfig(workspace: Workspace): Promise<PortfolioConfig> {
  const file = join(workspace.contentDir, 'portfolio.yaml');
  return readYamlFile(file, portfolioConfigSchema, {
    missing: {
      code: 'E_PORTFOLIO_FILE_MISSING',
      message: `The portfolio file ${file} is missing.`,
      hint: 'Create content/portfolio.yaml with your name, headline and about text (see the README).',
    },
    invalidCode: 'E_PORTFOLIO_FILE_INVALID',
  });
}
