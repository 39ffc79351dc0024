import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';

/**
 * Reliability diagram: forecast probability against observed frequency, with the diagonal of
 * perfect calibration. Every model when the run recorded bins per model, else the best one.
 */
export function calibrationSpec(run: RunRecord): TopLevelSpec | undefined {
  const label = (id: string) => run.models.find((m) => m.id === id)?.label ?? id;
  const byModel = run.calibrationByModel
    ? Object.entries(run.calibrationByModel)
    : run.calibration
      ? [[run.best, run.calibration] as const]
      : [];
  const values = byModel.flatMap(([id, bins]) => bins.map((bin) => ({ ...bin, model: label(id) })));
  if (values.length === 0) return undefined;
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
          color: {
            field: 'model',
            type: 'nominal',
            title: null,
            legend: { orient: 'bottom', columns: 2, labelLimit: 200 },
          },
        },
      },
    ],
  };
}
