import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { metricLabel } from '../site-data/format.ts';

/** Rolling-origin backtest: each model's primary metric on every test season it was scored on. */
export function backtestSpec(run: RunRecord): TopLevelSpec | undefined {
  const folds = run.backtest;
  if (!folds?.length) return undefined;
  const metric = run.task.primaryMetric;
  const label = (id: string) => run.models.find((m) => m.id === id)?.label ?? id;
  const values = folds.flatMap((fold) =>
    Object.entries(fold.metrics).flatMap(([model, metrics]) =>
      metrics[metric] === undefined
        ? []
        : [{ season: fold.testSeason, model: label(model), value: metrics[metric] }],
    ),
  );
  if (values.length === 0) return undefined;
  return {
    width: 520,
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
