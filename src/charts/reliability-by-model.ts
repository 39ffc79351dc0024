import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';

/** Reliability curves of every model on one chart, with the diagonal of perfect calibration. */
export function reliabilityByModelSpec(run: RunRecord): TopLevelSpec | undefined {
  const byModel = run.calibrationByModel;
  if (!byModel || Object.keys(byModel).length === 0) return undefined;
  const label = (id: string) => run.models.find((m) => m.id === id)?.label ?? id;
  const values = Object.entries(byModel).flatMap(([id, bins]) =>
    bins.map((b) => ({ model: label(id), predicted: b.predicted, observed: b.observed, count: b.count })),
  );
  return {
    width: 320,
    height: 320,
    layer: [
      {
        data: {
          values: [
            { x: 0, y: 0 },
            { x: 1, y: 1 },
          ],
        },
        mark: { type: 'line', strokeDash: [4, 4], color: '#a0aec0' },
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' } },
      },
      {
        data: { values },
        mark: { type: 'line', point: true },
        encoding: {
          x: {
            field: 'predicted',
            type: 'quantitative',
            title: 'Forecast probability',
            scale: { domain: [0, 1] },
          },
          y: {
            field: 'observed',
            type: 'quantitative',
            title: 'Observed frequency',
            scale: { domain: [0, 1] },
          },
          color: { field: 'model', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 2 } },
        },
      },
    ],
  };
}
