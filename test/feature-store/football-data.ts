import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { MatchRecord } from '../../scrapers/sources/openfootball/match-record.ts';
import { normaliseMatches } from '../../scrapers/sources/openfootball/normalise.ts';
import { readBundledMatches } from '../../scrapers/sources/openfootball/offline-transport.ts';

/** The bundled OpenFootball matches, validated and sorted as the pipeline reads them. */
export async function bundledMatches(): Promise<MatchRecord[]> {
  const { rows, location } = await readBundledMatches();
  return normaliseMatches(rows, location).records;
}

/** The shared data folder sits beside the worktrees; tests on its files skip when it is absent. */
export function sharedCsv(name: string): string | undefined {
  for (const base of ['../shared/data/csv', '../../shared/data/csv']) {
    const path = resolve(base, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}
