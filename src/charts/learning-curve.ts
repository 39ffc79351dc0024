import type { TopLevelSpec } from 'vega-lite';
import type { LabelReport } from '../../labelling/label-report.ts';

/**
 * The item model's accuracy on the random evaluation slice against the number of labels it was
 * trained on, for random and least-confidence (active) sampling: the mean over seeds with its 95%
 * bootstrap interval as a band.
 */
export function learningCurveSpec(report: LabelReport): TopLevelSpec | undefined {
  const points = report.learningCurve.points;
  if (points.length < 2) return undefined;
  const values = points.flatMap((p) => [
    {
      labels: p.labels,
      sampling: 'random',
      value: p.random.value,
      lower: p.random.lower,
      upper: p.random.upper,
    },
    {
      labels: p.labels,
      sampling: 'least-confidence (active)',
      value: p.active.value,
      lower: p.active.lower,
      upper: p.active.upper,
    },
  ]);
  const color = {
    field: 'sampling',
    type: 'nominal' as const,
    title: null,
    legend: { orient: 'bottom' as const, labelLimit: 240 },
  };
  return {
    width: 420,
    height: 240,
    data: { values },
    encoding: {
      x: { field: 'labels', type: 'quantitative', title: 'Labels the item model was trained on' },
      color,
    },
    layer: [
      {
        mark: { type: 'errorband', opacity: 0.2 },
        encoding: {
          y: {
            field: 'lower',
            type: 'quantitative',
            title: `Accuracy on the ${report.learningCurve.evaluationItems} evaluation items`,
            axis: { format: '%' },
          },
          y2: { field: 'upper' },
        },
      },
      {
        mark: { type: 'line', point: true },
        encoding: { y: { field: 'value', type: 'quantitative' } },
      },
    ],
  };
}
