import { hashValue } from '../../../portfolio/hash.ts';
import type { ProjectSpec } from '../../../templates/match-outcome/project-file-v1.ts';
import { createFetcher } from '../../create-fetcher.ts';
import type { PoliteFetcher } from '../../fetch/polite-fetcher.ts';
import type { CollectedDataset } from '../../source.ts';
import { fetchOpenFootball } from './live-transport.ts';
import type { MatchRecord } from './match-record.ts';
import { normaliseMatches } from './normalise.ts';
import { readBundledMatches } from './offline-transport.ts';

export { type MatchRecord, matchRecordColumns, matchRecordSchema, seasonOf } from './match-record.ts';

export type OpenFootballSourceSpec = ProjectSpec['source'];

/** What a live source fetches when its settings name no seasons or leagues. */
export const liveDefaults = { seasons: ['2016-17'], leagues: ['en.1'] } as const;

/**
 * Collects OpenFootball match results through the transport the project declares. The live
 * transport goes through the polite fetcher; by default one that keeps responses in the
 * workspace's snapshot store and revalidates them (ETag / Last-Modified) on later runs.
 */
export async function collectOpenFootball(
  spec: OpenFootballSourceSpec,
  options: { now?: () => Date; fetcher?: PoliteFetcher } = {},
): Promise<CollectedDataset<MatchRecord>> {
  const { records, excluded, origin } = await readOpenFootball(spec, options);
  return {
    records,
    excluded,
    provenance: {
      source: 'openfootball',
      transport: spec.transport,
      origin,
      licence: openFootballLicence,
      attribution: openFootballAttribution,
      collectedAt: (options.now?.() ?? new Date()).toISOString(),
      rows: records.length,
      excludedRows: excluded.length,
      sha256: hashValue(records),
      ...(records.length ? { firstDate: records[0]!.date, lastDate: records.at(-1)!.date } : {}),
    },
  };
}

export const openFootballLicence = 'CC0 1.0 (OpenFootball); packaged by vega-datasets (BSD-3-Clause)';
export const openFootballAttribution = 'OpenFootball (github.com/openfootball/football.json)';

/**
 * The normalised records `collectOpenFootball` collects, without its provenance: the table source
 * writes its own (with the hash of the typed rows), so hashing the records here would be wasted.
 */
export async function readOpenFootball(
  spec: OpenFootballSourceSpec,
  options: { fetcher?: PoliteFetcher } = {},
): Promise<{
  records: MatchRecord[];
  excluded: CollectedDataset<MatchRecord>['excluded'];
  origin: string[];
}> {
  const read =
    spec.transport === 'live'
      ? await fetchOpenFootball({
          seasons: spec.seasons ?? liveDefaults.seasons,
          leagues: spec.leagues ?? liveDefaults.leagues,
          ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}),
          fetcher: options.fetcher ?? createFetcher({ cache: 'revalidate' }),
        }).then((result) => ({ ...result, location: result.origin.join(', ') }))
      : await readBundledMatches();
  const { records, excluded } = normaliseMatches(read.rows, read.location);
  return { records, excluded, origin: read.origin };
}
