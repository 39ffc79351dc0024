import { MlfolioError } from '../../portfolio/errors.ts';
import type { Progress } from '../../portfolio/progress.ts';
import { createFetcher } from '../../scrapers/create-fetcher.ts';
import type { FetchPolicySpec } from '../../scrapers/fetch/fetch-policy.ts';
import type { CacheMode, PoliteFetcher } from '../../scrapers/fetch/polite-fetcher.ts';
import type { SiteProfile } from '../../scrapers/site-profiles.ts';

/** Flags shared by every command that may fetch: where responses live and how they are reused. */
export const fetchArgs = {
  offline: {
    type: 'boolean',
    description: 'Replay from the snapshot store only; never touch the network.',
    default: false,
  },
  refresh: {
    type: 'boolean',
    description: 'Revalidate stored pages with conditional requests (ETag / Last-Modified).',
    default: false,
  },
  store: {
    type: 'string',
    description: 'Snapshot store directory (default: .mlfolio/snapshots).',
  },
  contact: {
    type: 'string',
    description: 'Your e-mail or URL, added to the User-Agent (default: $MLFOLIO_CONTACT).',
  },
} as const;

export interface FetchArgValues {
  offline: boolean;
  refresh: boolean;
  store?: string | undefined;
  contact?: string | undefined;
}

export function cacheModeOf(args: FetchArgValues): CacheMode {
  if (args.offline && args.refresh) {
    throw new MlfolioError({
      code: 'E_CONFLICTING_OPTIONS',
      message: '--offline and --refresh contradict each other: one forbids requests, the other makes them.',
      hint: 'Choose one.',
      exitCode: 2,
    });
  }
  return args.offline ? 'offline' : args.refresh ? 'revalidate' : 'prefer-store';
}

export function fetcherFrom(
  args: FetchArgValues,
  extra: { progress?: Progress; policy?: FetchPolicySpec; profile?: SiteProfile } = {},
): PoliteFetcher {
  return createFetcher({
    cache: cacheModeOf(args),
    ...(args.store ? { storeDir: args.store } : {}),
    ...(args.contact ? { contact: args.contact } : {}),
    ...extra,
  });
}
