import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { metricLabel } from '../site-data/format.ts';

/** Each model's primary metric on the test period with its 95% interval, baselines marked. */
export function modelComparisonSpec(run: RunRecord): TopLevelSpec {
  const metric = run.task.primaryMetric;
  const values = run.models.map((model) => ({
    model: model.label,
    kind: model.baseline ? 'baseline' : 'candidate',
    value: model.metrics[metric]!.value,
    lower: model.metrics[metric]!.lower ?? model.metrics[metric]!.value,
    upper: model.metrics[metric]!.upper ?? model.metrics[metric]!.value,
  }));
  const domainMin = Math.min(...values.map((v) => v.lower)) * 0.97;
  const domainMax = Math.max(...values.map((v) => v.upper)) * 1.01;
  return {
    width: 520,
    height: { step: 34 },
    data: { values },
    encoding: { y: { field: 'model', type: 'nominal', sort: null, title: null, axis: { labelLimit: 260 } } },
    layer: [
      {
        mark: { type: 'bar', height: 18, cornerRadiusEnd: 3 },
        encoding: {
          x: {
            field: 'value',
            type: 'quantitative',
            title: `${metricLabel(metric)} on ${run.split.test.seasons.join(', ')} (lower is better; bars: 95% interval)`,
            scale: { domain: [domainMin, domainMax], zero: false },
          },
          color: { field: 'kind', type: 'nominal', title: null, scale: { range: ['#a0aec0', '#2b6cb0'] } },
        },
      },
      {
        mark: { type: 'rule', strokeWidth: 2, color: '#1a202c' },
        encoding: { x: { field: 'lower', type: 'quantitative' }, x2: { field: 'upper' } },
      },
    ],
  };
}
