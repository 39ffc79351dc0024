import { basename, extname } from 'node:path';
import { z } from 'zod';
import { readYamlFile } from '../portfolio/yaml-file.ts';
import { tableSpecSchema } from './extract/table-spec.ts';
import { fetchOverridesSchema } from './fetch/fetch-policy.ts';
import { siteProfiles } from './site-profiles.ts';
import { internationalResultsUrl } from './sources/international-results/index.ts';

/**
 * One page per season: `url` with `{season}` in it, and the seasons (a list, or a range of years).
 * Each record carries its page's season as `season`, which is the project's event time.
 */
export const seasonPagesSchema = z.strictObject({
  url: z
    .string()
    .includes('{season}', { message: 'the URL pattern needs "{season}" where the season goes' })
    .refine((pattern) => /^https?:$/.test(urlProtocol(pattern.replaceAll('{season}', '2000'))), {
      message: 'expected an http(s) URL with "{season}" where the season goes',
    }),
  seasons: z.union([
    z.array(z.union([z.string().min(1), z.number().int()])).min(1),
    z
      .strictObject({ from: z.number().int(), to: z.number().int() })
      .refine((range) => range.to >= range.from, { message: '"to" comes before "from"' }),
  ]),
});
export type SeasonPages = z.output<typeof seasonPagesSchema>;

function urlProtocol(url: string): string {
  try {
    return new URL(url).protocol;
  } catch {
    return '';
  }
}

/** The seasons `pages` lists, in order, as text (a range of years is expanded). */
export function seasonsOf(pages: SeasonPages): string[] {
  if (Array.isArray(pages.seasons)) return pages.seasons.map(String);
  const { from, to } = pages.seasons;
  return Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
}

/** Every page of an html-stats-table source, with its season when the source is one page per season. */
export function pagesOf(source: {
  urls?: readonly string[] | undefined;
  pages?: SeasonPages | undefined;
}): { url: string; season?: string }[] {
  if (source.urls) return source.urls.map((url) => ({ url }));
  if (!source.pages) return [];
  const pattern = source.pages.url;
  return seasonsOf(source.pages).map((season) => ({
    url: pattern.replaceAll('{season}', encodeURIComponent(season)),
    season,
  }));
}

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
  z
    .strictObject({
      kind: z.literal('html-stats-table'),
      ...common,
      /** Force a site profile; by default each URL's host picks its own. */
      profile: z.enum(siteProfiles.map((profile) => profile.name) as [string, ...string[]]).optional(),
      /** The pages, in order; or `pages`, one per season. */
      urls: z
        .array(z.url({ protocol: /^https?$/ }))
        .min(1)
        .optional(),
      pages: seasonPagesSchema.optional(),
      table: tableSpecSchema,
      licence: z.string().optional(),
      attribution: z.string().optional(),
    })
    .superRefine((source, context) => {
      if ((source.urls === undefined) === (source.pages === undefined)) {
        context.addIssue({
          code: 'custom',
          path: [source.urls ? 'pages' : 'urls'],
          message: source.urls
            ? 'give either urls or pages, not both'
            : 'give the pages: `urls` (a list) or `pages` ({ url: "…{season}…", seasons: { from, to } })',
        });
      }
      if (source.pages && 'season' in source.table.columns) {
        context.addIssue({
          code: 'custom',
          path: ['table', 'columns', 'season'],
          message:
            'with `pages`, every record gets the season of its page as "season"; name this column otherwise',
        });
      }
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
