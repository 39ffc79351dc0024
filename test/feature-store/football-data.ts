import type { MatchRecord } from '../../scrapers/sources/openfootball/match-record.ts';
import { normaliseMatches } from '../../scrapers/sources/openfootball/normalise.ts';
import { readBundledMatches } from '../../scrapers/sources/openfootball/offline-transport.ts';

/** The bundled OpenFootball matches, validated and sorted as the pipeline reads them. */
export async function bundledMatches(): Promise<MatchRecord[]> {
  const { rows, location } = await readBundledMatches();
  return normaliseMatches(rows, location).records;
}
