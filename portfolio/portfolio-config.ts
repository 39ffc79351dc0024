import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MlfolioError } from './errors.ts';
import { parseWith } from './validate.ts';
import type { Workspace } from './workspace.ts';

export const portfolioConfigSchema = z.strictObject({
  builder: z.strictObject({
    name: z.string().min(1),
    headline: z.string().min(1),
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
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_PORTFOLIO_FILE_MISSING',
        message: `The portfolio file ${file} is missing.`,
        hint: 'Create content/portfolio.yaml with your name, headline and about text (see the README).',
      },
      { cause: error },
    );
  }
  return parseWith(portfolioConfigSchema, parseYaml(text), file, 'E_PORTFOLIO_FILE_INVALID');
}
