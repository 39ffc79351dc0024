import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { metricLabel } from '../site-data/format.ts';

/** Permutation importance of each feature, most important first, with its 95% interval and zero marked. */
export function importanceSpec(run: RunRecord): TopLevelSpec | undefined {
  const importance = run.importance;
  if (!importance?.features.length) return undefined;
  const values = importance.features.map((f) => ({
    feature: f.feature,
    value: f.increase.value,
    lower: f.increase.lower ?? f.increase.value,
    upper: f.increase.upper ?? f.increase.value,
  }));
  return {
    width: 520,
    height: { step: 26 },
    data: { values },
    encoding: { y: { field: 'feature', type: 'nominal', sort: null, title: null } },
    layer: [
      { mark: { type: 'rule', color: '#a0aec0', strokeDash: [4, 4] }, encoding: { x: { datum: 0 } } },
      {
        mark: { type: 'rule', strokeWidth: 2, color: '#718096' },
        encoding: {
          x: {
            field: 'lower',
            type: 'quantitative',
            title: `Increase in ${metricLabel(importance.metric)} when the feature is shuffled (95% interval)`,
          },
          x2: { field: 'upper' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: { x: { field: 'value', type: 'quantitative' } },
      },
    ],
  };
}
