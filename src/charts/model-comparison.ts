import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { metricLabel } from '../site-data/format.ts';

/**
 * Each model's primary metric on the test period with its 95% interval, baselines marked. Points and
 * whiskers, not bars: the axis does not start at zero, and a bar's length would mislead.
 */
export function modelComparisonSpec(run: RunRecord): TopLevelSpec {
  const metric = run.task.primaryMetric;
  const values = run.models.map((model) => ({
    model: model.label,
    kind: model.baseline ? 'baseline' : 'candidate',
    value: model.metrics[metric]!.value,
    lower: model.metrics[metric]!.lower ?? model.metrics[metric]!.value,
    upper: model.metrics[metric]!.upper ?? model.metrics[metric]!.value,
  }));
  const low = Math.min(...values.map((v) => v.lower));
  const high = Math.max(...values.map((v) => v.upper));
  const domainMin = low - (high - low) * 0.05;
  const domainMax = high + (high - low) * 0.05;
  return {
    width: 460,
    height: { step: 34 },
    data: { values },
    encoding: { y: { field: 'model', type: 'nominal', sort: null, title: null, axis: { labelLimit: 200 } } },
    layer: [
      {
        mark: { type: 'rule', strokeWidth: 3, color: '#718096' },
        encoding: {
          x: {
            field: 'lower',
            type: 'quantitative',
            title: `${metricLabel(metric)} on ${run.split.test.seasons.join(', ')} (lower is better; lines: 95% interval)`,
            scale: { domain: [domainMin, domainMax], zero: false },
          },
          x2: { field: 'upper' },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 110, opacity: 1 },
        encoding: {
          x: { field: 'value', type: 'quantitative' },
          color: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: { domain: ['baseline', 'candidate'], range: ['#718096', '#2b6cb0'] },
            legend: { orient: 'bottom' },
          },
          shape: {
            field: 'kind',
            type: 'nominal',
            title: null,
            scale: { domain: ['baseline', 'candidate'], range: ['square', 'circle'] },
          },
        },
      },
    ],
  };
}
