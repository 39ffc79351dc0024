import { type FetchPolicy, type FetchPolicySpec, fetchPolicy } from './fetch/fetch-policy.ts';

/** Politeness settings for a family of sites, matched by host name. */
export interface SiteProfile {
  name: string;
  /** Host names it covers; `www.` and other subdomains match too. */
  hosts: readonly string[];
  policy: FetchPolicySpec;
  about: string;
}

export const siteProfiles: readonly SiteProfile[] = [
  {
    name: 'sports-reference',
    hosts: [
      'sports-reference.com',
      'basketball-reference.com',
      'baseball-reference.com',
      'pro-football-reference.com',
      'hockey-reference.com',
      'stathead.com',
    ],
    // Sports Reference allows 20 requests a minute and bans offenders for an hour; staying well
    // under the limit leaves room for a browser tab open on the same site.
    policy: { requestsPerMinute: 12, maxCoolDownMs: 15 * 60_000, backoffBaseMs: 10_000 },
    about:
      'Sports Reference sites: 12 requests/min (their limit is 20), most tables hidden in HTML comments.',
  },
  {
    name: 'fbref',
    hosts: ['fbref.com'],
    policy: { requestsPerMinute: 6, maxCoolDownMs: 15 * 60_000, backoffBaseMs: 10_000 },
    about: 'FBref: 6 requests/min (their limit is 10), tables hidden in HTML comments.',
  },
  {
    name: 'loopback',
    hosts: ['127.0.0.1', 'localhost', '[::1]'],
    // Politeness protects other people's servers; a server on this machine (a local mirror, a
    // test fixture) gets no rate limit. robots.txt is still obeyed.
    policy: { requestsPerMinute: 0 },
    about: 'This machine (127.0.0.1, localhost): no rate limit; robots.txt still obeyed.',
  },
  {
    name: 'github-raw',
    hosts: ['raw.githubusercontent.com'],
    policy: { requestsPerMinute: 60 },
    about: 'Raw files on GitHub (OpenFootball, international results): 60 requests/min.',
  },
];

/** Everything else: 20 requests a minute, robots.txt obeyed. */
export const defaultSitePolicy: FetchPolicySpec = { requestsPerMinute: 20 };

export function profileForHost(host: string): SiteProfile | undefined {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  return siteProfiles.find((profile) =>
    profile.hosts.some((candidate) => name === candidate || name.endsWith(`.${candidate}`)),
  );
}

export function profileNamed(name: string): SiteProfile | undefined {
  return siteProfiles.find((profile) => profile.name === name);
}

/**
 * The policy for `host`: the matching profile's settings (or the default), then `overrides`
 * (a source file's `fetch:` block) on top.
 */
export function policyForHost(
  host: string,
  overrides: FetchPolicySpec = {},
  profile?: SiteProfile,
): FetchPolicy {
  const base = (profile ?? profileForHost(host))?.policy ?? defaultSitePolicy;
  return fetchPolicy({ ...base, ...overrides });
}
