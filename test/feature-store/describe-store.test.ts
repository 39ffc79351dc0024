import { describe, expect, it } from 'vitest';
import {
  describeFeatureStore,
  materializeOnlineStore,
  openFeatureStore,
} from '../../pipelines/feature-store/index.ts';
import { readings, readingsRows } from './fixtures.ts';

describe('describing the feature store', () => {
  it('lists each view with its lineage, freshness and materialisation', async () => {
    const session = await openFeatureStore(readings, { rows: readingsRows });
    try {
      const training = await session.trainingSet();
      const online = await materializeOnlineStore(session);
      const views = describeFeatureStore(session.plan, { training, online });
      expect(views.map((v) => v.name)).toEqual(['x_last', 'x_mean2', 'x_sum5d', 'x_count5d', 'gap', 'trend']);
      const last = views[0]!;
      expect(last).toMatchObject({
        kind: 'lag',
        entity: 'sensor',
        ttl: '3d',
        source: { table: 'readings', columns: ['x'] },
        outputs: ['x_last'],
        usedBy: ['trend'],
        offline: { rows: 7, withValue: 5, latestAsOf: '2024-01-07' },
        online: { entities: 2, latestAsOf: '2024-01-10', materializedAt: '2024-01-11' },
      });
      const trend = views.at(-1)!;
      expect(trend.source.columns).toEqual(['x_last', 'x_mean2']);
      expect(trend.online).toBeUndefined();
      expect(views.find((v) => v.name === 'gap')!.source.columns).toEqual(['day']);
    } finally {
      session.close();
    }
  });
});
