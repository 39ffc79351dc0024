import type { TopLevelSpec } from 'vega-lite';
import type { MonitoringRecord } from '../../operations/monitoring-record.ts';
import { metricLabel } from '../site-data/format.ts';

/**
 * The deployed model's primary metric window by window on newly resolved events (points with 95%
 * intervals), against its evaluation-time score (the dashed rule and grey band). Windows are
 * months (a time axis) or, for events timed by season, seasons (one point per season label).
 */
export function modelHealthSpec(record: MonitoringRecord): TopLevelSpec | undefined {
  const performance = record.performance;
  if (!performance?.windows.length) return undefined;
  const metric = performance.primaryMetric;
  const evaluation = performance.evaluation.metrics[metric]!;
  const bySeason = performance.windowUnit === 'season';
  const values = performance.windows.map((w) => ({
    month: bySeason ? w.month : `${w.month}-15`,
    rows: w.rows,
    value: w.value.value,
    lower: w.value.lower ?? w.value.value,
    upper: w.value.upper ?? w.value.value,
  }));
  const lows = [...values.map((v) => v.lower), evaluation.lower ?? evaluation.value];
  const highs = [...values.map((v) => v.upper), evaluation.upper ?? evaluation.value];
  const x = bySeason
    ? ({ field: 'month', type: 'ordinal', title: 'Season', axis: { labelAngle: -40 } } as const)
    : ({
        field: 'month',
        type: 'temporal',
        title: null,
        axis: { format: '%b %Y', labelAngle: -40 },
      } as const);
  const scale = { domain: [Math.min(...lows) * 0.97, Math.max(...highs) * 1.02], zero: false };
  const y = {
    field: 'value',
    type: 'quantitative' as const,
    title: `${metricLabel(metric)} (${performance.higherIsBetter ? 'higher' : 'lower'} is better)`,
    scale,
  };
  return {
    width: 520,
    height: 220,
    layer: [
      {
        data: {
          values: [
            { lower: evaluation.lower ?? evaluation.value, upper: evaluation.upper ?? evaluation.value },
          ],
        },
        mark: { type: 'rect', color: '#a0aec0', opacity: 0.25 },
        encoding: { y: { field: 'lower', type: 'quantitative', scale }, y2: { field: 'upper' } },
      },
      {
        data: { values: [{ value: evaluation.value }] },
        mark: { type: 'rule', strokeDash: [5, 4], color: '#718096' },
        encoding: { y: { field: 'value', type: 'quantitative', scale } },
      },
      {
        data: { values },
        mark: { type: 'rule', color: '#2b6cb0', strokeWidth: 2 },
        encoding: {
          x,
          y: { field: 'lower', type: 'quantitative', scale, title: y.title },
          y2: { field: 'upper' },
        },
      },
      {
        data: { values },
        mark: { type: 'line', point: { filled: true, size: 50 }, color: '#2b6cb0' },
        encoding: {
          x,
          y,
          tooltip: [{ field: 'rows', title: record.schemaVersion === 2 ? 'events' : 'matches' }],
        },
      },
    ],
  };
}
