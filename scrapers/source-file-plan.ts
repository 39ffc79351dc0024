import type { FetchPolicySpec } from './fetch/fetch-policy.ts';
import type { ScrapePlan } from './scrape-plan.ts';
import { profileNamed, type SiteProfile } from './site-profiles.ts';
import { loadSourceFile, pagesOf } from './source-file.ts';
import { htmlStatsTablePlan } from './sources/html-stats-table/index.ts';
import { assertNoPlaceholders } from './sources/html-stats-table/placeholders.ts';
import { internationalResultsPlan } from './sources/international-results/index.ts';
import { openFootballPlan } from './sources/openfootball/live-plan.ts';

/** A crawl ready to run: its plan, with the fetch policy, site profile and concurrency it declares. */
export interface PlannedScrape {
  plan: ScrapePlan<unknown>;
  policy?: FetchPolicySpec;
  profile?: SiteProfile;
  concurrency?: number;
}

/**
 * The plan of a source file; `name` (a project's slug) overrides the file's own dataset name. A
 * project's source with placeholders left from `mlfolio new` is refused before anything is fetched.
 */
export async function sourceFilePlan(
  file: string,
  name?: string,
  options: { placeholders?: 'refuse' } = {},
): Promise<PlannedScrape> {
  const loaded = await loadSourceFile(file);
  const source = name ? { ...loaded, name } : loaded;
  if (source.kind === 'html-stats-table' && options.placeholders === 'refuse') {
    assertNoPlaceholders(source, file);
  }
  const common = {
    ...(source.fetch ? { policy: source.fetch } : {}),
    ...(source.concurrency ? { concurrency: source.concurrency } : {}),
  };
  switch (source.kind) {
    case 'html-stats-table': {
      const pages = pagesOf(source);
      const profile = source.profile ? profileNamed(source.profile) : undefined;
      return {
        plan: htmlStatsTablePlan({
          name: source.name,
          urls: pages.map((page) => page.url),
          ...(source.pages ? { seasons: pages.map((page) => page.season!) } : {}),
          file,
          table: source.table,
          ...(source.licence ? { licence: source.licence } : {}),
          ...(source.attribution ? { attribution: source.attribution } : {}),
        }) as ScrapePlan<unknown>,
        ...(profile ? { profile } : {}),
        ...common,
      };
    }
    case 'international-results':
      return {
        plan: { ...internationalResultsPlan(source.url), name: source.name } as ScrapePlan<unknown>,
        ...common,
      };
    case 'openfootball':
      return {
        plan: openFootballPlan({
          name: source.name,
          seasons: source.seasons,
          leagues: source.leagues,
          ...(source.baseUrl ? { baseUrl: source.baseUrl } : {}),
        }) as ScrapePlan<unknown>,
        ...common,
      };
  }
}
