import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';

/** Reliability diagram: forecast probability against observed frequency, with the diagonal of perfect calibration. */
export function calibrationSpec(run: RunRecord): TopLevelSpec | undefined {
  if (!run.calibration?.length) return undefined;
  return {
    width: 300,
    height: 300,
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
        data: { values: run.calibration },
        mark: { type: 'line', point: true, color: '#2b6cb0' },
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
        },
      },
    ],
  };
}
