import { join } from 'node:path';
import type { Progress } from '../portfolio/progress.ts';
import { workspaceAt } from '../portfolio/workspace.ts';
import type { FetchPolicySpec } from './fetch/fetch-policy.ts';
import { type CacheMode, type FetchEvent, formatDuration, PoliteFetcher } from './fetch/polite-fetcher.ts';
import { policyForHost, type SiteProfile } from './site-profiles.ts';
import { SnapshotStore } from './snapshot-store/snapshot-store.ts';

export interface FetcherSettings {
  /** Snapshot store directory. Default: `.mlfolio/snapshots` in the workspace. */
  storeDir?: string;
  cache?: CacheMode;
  /** Contact for the User-Agent. Default: the `MLFOLIO_CONTACT` environment variable. */
  contact?: string;
  /** Overrides on top of each host's site profile. */
  policy?: FetchPolicySpec;
  /** Force one profile for every host (a source file's `profile:`). */
  profile?: SiteProfile;
  progress?: Progress;
}

export function defaultStoreDir(): string {
  return join(workspaceAt().stateDir, 'snapshots');
}

/** The fetcher the CLI and the sources use: site profiles, the workspace store, progress warnings. */
export function createFetcher(settings: FetcherSettings = {}): PoliteFetcher {
  const contact = settings.contact ?? process.env.MLFOLIO_CONTACT;
  return new PoliteFetcher({
    store: new SnapshotStore(settings.storeDir ?? defaultStoreDir()),
    cache: settings.cache ?? 'prefer-store',
    ...(contact ? { contact } : {}),
    policyFor: (host) => policyForHost(host, settings.policy, settings.profile),
    ...(settings.progress ? { onEvent: reportTo(settings.progress) } : {}),
  });
}

/** Turns the fetcher's noteworthy events into progress warnings; routine requests stay quiet. */
export function reportTo(progress: Progress): (event: FetchEvent) => void {
  return (event) => {
    switch (event.type) {
      case 'cool-down':
        progress.warn(
          `${event.host} answered ${event.reason} with Retry-After ${formatDuration(event.requestedMs)}: pausing that host until ${new Date(event.untilMs).toISOString()}`,
        );
        break;
      case 'host-stopped':
        progress.warn(
          `${event.host} asked for a ${formatDuration(event.requestedMs)} pause, over the cap of ${formatDuration(event.capMs)}: no more requests to it in this run`,
        );
        break;
      case 'host-blocked':
        progress.warn(`${event.host} refused us (${event.reason}): no more requests to it in this run`);
        break;
      case 'crawl-delay':
        progress.info(`${event.host} robots.txt sets Crawl-delay ${formatDuration(event.delayMs)}: honoured`);
        break;
      case 'retry':
        progress.info(
          `retry ${event.attempt} of ${event.url} in ${formatDuration(event.delayMs)} (${event.reason})`,
        );
        break;
      default:
        break;
    }
  };
}
