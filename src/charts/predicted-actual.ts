import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';

/**
 * For numeric targets, what a reliability diagram is for classes: each test row's forecast mean
 * against what happened, with its 80% predictive interval as a rule, and the diagonal of a
 * perfect forecast. Drawn for the best model; rows inside their interval and outside it differ in
 * colour, so interval coverage can be seen as well as read.
 */
export function predictedActualSpec(run: RunRecord): TopLevelSpec | undefined {
  const rows = run.predictedVsActual?.[run.best];
  if (!rows?.length) return undefined;
  const values = rows.map((row) => ({
    ...row,
    inside: row.actual >= row.lower && row.actual <= row.upper ? 'inside its 80% interval' : 'outside it',
  }));
  const all = rows.flatMap((row) => [row.lower, row.upper, row.actual]);
  const domain = [Math.floor(Math.min(...all)), Math.ceil(Math.max(...all))];
  const title = run.task.target;
  return {
    width: 320,
    height: 320,
    layer: [
      {
        data: { values: domain.map((v) => ({ x: v, y: v })) },
        mark: { type: 'line', strokeDash: [4, 4], color: '#a0aec0' },
        encoding: {
          x: { field: 'x', type: 'quantitative', scale: { domain } },
          y: { field: 'y', type: 'quantitative', scale: { domain } },
        },
      },
      {
        data: { values },
        mark: { type: 'rule', opacity: 0.35 },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', scale: { domain } },
          y: { field: 'lower', type: 'quantitative', scale: { domain } },
          y2: { field: 'upper' },
          color: { field: 'inside', type: 'nominal', title: null, legend: null },
        },
      },
      {
        data: { values },
        mark: { type: 'point', filled: true, size: 18 },
        encoding: {
          x: { field: 'predicted', type: 'quantitative', title: `Forecast: ${title}`, scale: { domain } },
          y: { field: 'actual', type: 'quantitative', title: `Actual: ${title}`, scale: { domain } },
          color: {
            field: 'inside',
            type: 'nominal',
            title: null,
            scale: { range: ['#2b6cb0', '#dd6b20'] },
            legend: { orient: 'bottom' },
          },
        },
      },
    ],
  };
}
