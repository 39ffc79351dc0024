import type { TopLevelSpec } from 'vega-lite';
import type { ExperimentReport } from '../../experiments/project-analysis.ts';

/**
 * Units entering an experiment over time: the cumulative count per arm by day (each unit counted
 * at its first served exposure), so a stalled arm or a lopsided split shows as diverging lines.
 */
export function experimentExposuresSpec(report: ExperimentReport): TopLevelSpec | undefined {
  if (report.unitsByDay.length === 0) return undefined;
  const totals = new Map<string, number>();
  const values = report.unitsByDay.map(({ day, arm, units }) => {
    const total = (totals.get(arm) ?? 0) + units;
    totals.set(arm, total);
    return { day, arm, units: total };
  });
  const control = report.analysis.control;
  return {
    width: 520,
    height: 220,
    data: { values },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: { field: 'day', type: 'temporal', title: null, axis: { format: '%b %Y', labelAngle: -40 } },
      y: { field: 'units', type: 'quantitative', title: 'units exposed (cumulative)' },
      color: {
        field: 'arm',
        type: 'nominal',
        title: 'arm',
        sort: [control],
        scale: { range: ['#718096', '#2b6cb0', '#c05621', '#2f855a'] },
      },
      tooltip: [
        { field: 'arm', type: 'nominal' },
        { field: 'day', type: 'temporal' },
        { field: 'units', type: 'quantitative' },
      ],
    },
  };
}
