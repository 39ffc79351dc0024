import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { metricLabel } from '../site-data/format.ts';

/** Dot-and-whisker plot of each model's primary metric on the test period with its 95% interval, baselines marked. */
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
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x: {
            field: 'lower',
            type: 'quantitative',
            title: `${metricLabel(metric)} (lower is better), with 95% interval`,
            scale: { domain: [domainMin, domainMax], zero: false },
          },
          x2: { field: 'upper' },
          color: { field: 'kind', type: 'nominal', title: null, legend: { orient: 'bottom' } },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: { x: { field: 'value', type: 'quantitative' }, color: { field: 'kind', type: 'nominal' } },
      },
    ],
  };
}
