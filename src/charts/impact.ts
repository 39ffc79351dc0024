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
  return {
    width: 520,
    height: { step: 34 },
    data: { values },
    encoding: { y: { field: 'over', type: 'nominal', sort: null, title: null, axis: { labelLimit: 300 } } },
    layer: [
      { mark: { type: 'rule', color: '#a0aec0', strokeDash: [4, 4] }, encoding: { x: { datum: 0 } } },
      {
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
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
          x: { field: 'value', type: 'quantitative' },
          color: { field: 'verdict', type: 'nominal' },
        },
      },
    ],
  };
}
