import type { TopLevelSpec } from 'vega-lite';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';

/** The gains of the model's decisions over each alternative, in the decision's units, with 95% intervals and zero marked. */
export function impactSpec(run: RunRecord): TopLevelSpec | undefined {
  const impact = run.impact;
  if (!impact?.gains.length) return undefined;
  // A model's own short label reads better on an axis than its policy's sentence.
  const label = (id: string) =>
    run.models.find((m) => m.id === id)?.label ?? impact.policies.find((p) => p.id === id)?.label ?? id;
  const values = impact.gains.map((g) => ({
    over: `over: ${label(g.over)}`,
    value: g.difference.value,
    lower: g.difference.lower ?? g.difference.value,
    upper: g.difference.upper ?? g.difference.value,
    verdict: g.distinguishable ? 'distinguishable from zero' : 'not distinguishable from zero',
  }));
  const row = { field: 'over', type: 'nominal', sort: null, title: null, axis: { labelLimit: 300 } } as const;
  return {
    width: 520,
    height: { step: 34 },
    data: { values },
    layer: [
      // Zero spans the whole plot, drawn once: with the rows' y encoding it shrank to nothing.
      {
        data: { values: [{}] },
        mark: { type: 'rule', color: '#a0aec0', strokeDash: [4, 4] },
        encoding: { x: { datum: 0 } },
      },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          y: row,
          x: { field: 'lower', type: 'quantitative', title: `Gain in ${impact.unit} (95% interval)` },
          x2: { field: 'upper' },
          color: {
            field: 'verdict',
            type: 'nominal',
            title: null,
            legend: { orient: 'bottom', labelLimit: 400 },
          },
        },
      },
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          y: row,
          x: { field: 'value', type: 'quantitative' },
          color: { field: 'verdict', type: 'nominal' },
        },
      },
    ],
  };
}
