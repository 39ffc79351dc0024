import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';

/** One chart per recorded feature: the averaged probability of each outcome as the feature varies. */
export function partialDependenceSpecs(run: RunRecord): { feature: string; spec: TopLevelSpec }[] {
  const classes = run.task.classes;
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
            outcome: names[classes[k]!] ?? classes[k],
          })),
        ),
      },
      mark: { type: 'line' },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: curve.feature, scale: { zero: false } },
        y: {
          field: 'probability',
          type: 'quantitative',
          title: 'Mean probability',
          scale: { domain: [0, 1] },
        },
        color: {
          field: 'outcome',
          type: 'nominal',
          title: null,
          sort: classes.map((c) => names[c] ?? c),
          legend: { orient: 'bottom' },
        },
      },
    },
  }));
}
