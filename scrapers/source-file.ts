import { basename, extname } from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../portfolio/yaml-file.ts';
import { tableSpecSchema } from './extract/table-spec.ts';
import { fetchOverridesSchema } from './fetch/fetch-policy.ts';
import { siteProfiles } from './site-profiles.ts';
import { internationalResultsUrl } from './sources/international-results/index.ts';

const common = {
  /** Names the crawl journal and the dataset folder. Default: the file name. */
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]*$/)
    .optional(),
  /** Per-host politeness overrides on top of the site profile. */
  fetch: fetchOverridesSchema.optional(),
  concurrency: z.number().int().positive().max(16).optional(),
};

/** A scrape source file (`mlfolio scrape sources/<name>.yaml`). Validated here, then trusted. */
export const sourceFileSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('html-stats-table'),
    ...common,
    /** Force a site profile; by default each URL's host picks its own. */
    profile: z.enum(siteProfiles.map((profile) => profile.name) as [string, ...string[]]).optional(),
    urls: z.array(z.url({ protocol: /^https?$/ })).min(1),
    table: tableSpecSchema,
    licence: z.string().optional(),
    attribution: z.string().optional(),
  }),
  z.strictObject({
    kind: z.literal('international-results'),
    ...common,
    url: z.url({ protocol: /^https?$/ }).default(internationalResultsUrl),
  }),
  z.strictObject({
    kind: z.literal('openfootball'),
    ...common,
    seasons: z.array(z.string().regex(/^\d{4}-\d{2}$/)).min(1),
    leagues: z.array(z.string()).min(1),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
  }),
]);
export type SourceFile = z.output<typeof sourceFileSchema> & { name: string };

export async function loadSourceFile(path: string): Promise<SourceFile> {
  const spec = await readYamlFile(path, sourceFileSchema, {
    missing: {
      code: 'E_SOURCE_FILE_MISSING',
      message: `Cannot read the source file ${path}.`,
      hint: 'Pass a project slug, a built-in source name, or the path of a source .yaml file.',
    },
    invalidCode: 'E_SOURCE_FILE_INVALID',
  });
  return { ...spec, name: spec.name ?? basename(path, extname(path)) };
}
