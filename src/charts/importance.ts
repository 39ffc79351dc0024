import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { metricLabel } from '../site-data/format.ts';

/** Permutation importance: how much the metric worsens when each feature is shuffled, with 95% intervals. */
export function importanceSpec(run: RunRecord): TopLevelSpec | undefined {
  const importance = run.importance;
  if (!importance?.features.length) return undefined;
  const values = [...importance.features]
    .sort((a, b) => b.increase.value - a.increase.value)
    .map(({ feature, increase }) => ({
      feature,
      value: increase.value,
      lower: increase.lower ?? increase.value,
      upper: increase.upper ?? increase.value,
    }));
  return {
    width: 520,
    height: { step: 24 },
    data: { values },
    encoding: { y: { field: 'feature', type: 'nominal', sort: null, title: null } },
    layer: [
      {
        mark: { type: 'bar', height: 14, color: '#2b6cb0', cornerRadiusEnd: 2 },
        encoding: {
          x: {
            field: 'value',
            type: 'quantitative',
            title: `Increase in ${metricLabel(importance.metric)} when shuffled`,
          },
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2, color: '#718096' },
        encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } },
      },
    ],
  };
}
