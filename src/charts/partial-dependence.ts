import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';

/** One chart per recorded feature: the averaged probability of each outcome as the feature varies. */
export function partialDependenceSpecs(run: RunRecord): { feature: string; spec: TopLevelSpec }[] {
  const classes = run.task.classes;
  // Numeric targets have one curve: the mean forecast.
  const numeric = classes.length === 0;
  const names: Record<string, string> = { H: 'home win', D: 'draw', A: 'away win' };
  return (run.partialDependence ?? []).map((curve) => ({
    feature: curve.feature,
    spec: {
      width: 260,
      height: 180,
      data: {
        values: curve.points.flatMap((point) =>
          point.probabilities.map((p, k) => ({
            x: point.x,
            probability: p,
            outcome: numeric ? 'mean forecast' : (names[classes[k]!] ?? classes[k]),
          })),
        ),
      },
      mark: { type: 'line' },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: curve.feature, scale: { zero: false } },
        y: {
          field: 'probability',
          type: 'quantitative',
          title: numeric ? `Mean forecast: ${run.task.target}` : 'Mean probability',
          scale: numeric ? { zero: false } : { domain: [0, 1] },
        },
        color: {
          field: 'outcome',
          type: 'nominal',
          title: null,
          sort: classes.map((c) => names[c] ?? c),
          legend: numeric ? null : { orient: 'bottom' },
        },
      },
    },
  }));
}
