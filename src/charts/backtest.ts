import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { metricLabel } from '../site-data/format.ts';

/** The primary metric of every model on each rolling-origin test season: is the ranking stable? */
export function backtestSpec(run: RunRecord): TopLevelSpec | undefined {
  if (!run.backtest?.length) return undefined;
  const metric = run.task.primaryMetric;
  const label = (id: string) => run.models.find((m) => m.id === id)?.label ?? id;
  const values = run.backtest.flatMap((fold) =>
    Object.entries(fold.metrics).flatMap(([id, metrics]) =>
      metrics[metric] === undefined
        ? []
        : [{ season: fold.testSeason, model: label(id), value: metrics[metric] }],
    ),
  );
  return {
    width: 420,
    height: 240,
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      x: {
        field: 'season',
        type: 'ordinal',
        title: 'Test season (trained on every earlier season)',
        axis: { labelAngle: 0 },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: `${metricLabel(metric)} (lower is better)`,
        scale: { zero: false },
      },
      color: {
        field: 'model',
        type: 'nominal',
        title: null,
        legend: { orient: 'bottom', columns: 2, labelLimit: 240 },
      },
    },
  };
}
