import type { ScrapePlan } from '../../scrape-plan.ts';
import type { TableSource } from '../../table-source.ts';
import { bundledDatasetFingerprint } from './offline-transport.ts';

/**
 * OpenFootball match results as a project's table: the subset bundled in vega-datasets (offline),
 * or football.json fetched through the polite fetcher (live). Its records have a fixed schema, so a
 * project need not declare the columns.
 */
export const openFootballTableSource: TableSource<'openfootball'> = {
  kind: 'openfootball',
  async collect(spec) {
    // The collector (and its fetcher) loads here, not with the registry: fingerprints need neither.
    const { readOpenFootball, matchRecordColumns, openFootballLicence, openFootballAttribution } =
      await import('./index.ts');
    const { records, excluded, origin } = await readOpenFootball(spec);
    return {
      rows: records as unknown as Record<string, unknown>[],
      excluded,
      columns: { ...matchRecordColumns },
      origin,
      location: (i) => `${origin.join(', ')} record ${i + 1}`,
      provenance: {
        source: 'openfootball',
        transport: spec.transport,
        origin,
        licence: openFootballLicence,
        attribution: openFootballAttribution,
      },
    };
  },
  async fingerprint(spec) {
    // A live fetch may change any day; the bundled subset only with the package.
    return spec.transport === 'live' ? new Date().toISOString().slice(0, 10) : bundledDatasetFingerprint();
  },
  async scrapePlan(spec, name) {
    if (spec.transport !== 'live') return undefined;
    const [{ openFootballPlan }, { liveDefaults }] = await Promise.all([
      import('./live-plan.ts'),
      import('./index.ts'),
    ]);
    return openFootballPlan({
      name,
      seasons: spec.seasons ?? liveDefaults.seasons,
      leagues: spec.leagues ?? liveDefaults.leagues,
      ...(spec.baseUrl ? { baseUrl: spec.baseUrl } : {}),
    }) as ScrapePlan<unknown>;
  },
};
