import type { ModelResult, RunRecord } from '../../../pipelines/runs/run-record.ts';
import { type Check, fail, fixed, hasInterval, higherIsBetter, interval, pass, withRun } from '../check.ts';

const primary = (run: RunRecord, model: ModelResult) => model.metrics[run.task.primaryMetric];

/** The best non-baseline model by the run's primary metric, as the run ranked it. */
export function bestCandidate(run: RunRecord): ModelResult | undefined {
  // Newer runs name it (`bestCandidate`); older ones leave it to be worked out from the metrics.
  const named = run.models.find((model) => model.id === run.bestCandidate && !model.baseline);
  if (named) return named;
  const best = run.models.find((model) => model.id === run.best);
  if (best && !best.baseline) return best;
  const candidates = run.models.filter((model) => !model.baseline && primary(run, model));
  const sign = higherIsBetter(run.task.primaryMetric) ? -1 : 1;
  return candidates.sort((a, b) => sign * (primary(run, a)!.value - primary(run, b)!.value))[0];
}

export const baselineCompared: Check = {
  id: 'baseline-compared',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const metric = run.task.primaryMetric;
      const baselines = run.models.filter((model) => model.baseline && primary(run, model));
      const candidate = bestCandidate(run);
      if (!baselines.length) {
        return fail(
          `Add a baseline to \`models\` in ${evidence.specFile} (kind "prior" or "elo") and rerun: a model means little until it beats the simple rule a sceptic would propose.`,
          `Run ${run.runId} has no baseline model scored on ${metric}.`,
        );
      }
      if (!candidate) {
        return fail(
          `Add a candidate model (for example kind "logistic-regression") to \`models\` in ${evidence.specFile} and rerun.`,
          `Run ${run.runId} scores only baselines (${baselines.map((m) => m.id).join(', ')}).`,
        );
      }
      const baseline = run.models.find((model) => model.id === run.bestBaseline) ?? baselines[0]!;
      return pass(
        `Best baseline ${baseline.id} (${baseline.label}): ${metric} ${fixed(primary(run, baseline)!.value)}; best candidate ${candidate.id} (${candidate.label}): ${metric} ${fixed(primary(run, candidate)!.value)}.`,
        `All ${run.models.length} models scored on the same ${run.split.test.rows} test rows (${run.split.test.seasons.join(', ')}).`,
      );
    }),
};

export const comparisonTested: Check = {
  id: 'comparison-tested',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const candidate = bestCandidate(run);
      const comparison = run.comparisons?.find(
        (entry) =>
          entry.model === candidate?.id &&
          entry.baseline === run.bestBaseline &&
          entry.metric === run.task.primaryMetric,
      );
      if (!run.comparisons) {
        return fail(
          `Rerun with a pipeline that records \`comparisons\` (a paired bootstrap of model − baseline on the same test rows): \`mlfolio run ${evidence.slug} --force\`.`,
          `Run ${run.runId} has no model-vs-baseline comparison.`,
        );
      }
      if (!comparison || !hasInterval(comparison.difference)) {
        return fail(
          `Record the difference of ${candidate?.id ?? 'the best candidate'} against ${run.bestBaseline} on ${run.task.primaryMetric} with its 95% interval, then rerun.`,
          `Run ${run.runId} compares ${run.comparisons.map((c) => `${c.model} vs ${c.baseline}`).join(', ') || 'nothing'}, but not the best candidate against the best baseline with an interval.`,
        );
      }
      return pass(
        `${comparison.model} − ${comparison.baseline} on ${comparison.metric}: ${interval(comparison.difference)} (95% paired interval).`,
        comparison.distinguishable
          ? 'The interval excludes zero: the test period tells the two apart.'
          : 'The interval contains zero: on this test period the model cannot be told apart from the baseline, and the writeup should say so.',
      );
    }),
};

export const tradeOffsMeasured: Check = {
  id: 'trade-offs-measured',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const metric = run.task.primaryMetric;
      const measured = run.models.filter(
        (model) => primary(run, model) && model.timings.predictP99Us > 0 && model.sizeBytes > 0,
      );
      const candidates = measured.filter((model) => !model.baseline);
      if (candidates.length < 2) {
        return fail(
          `Train at least two candidate models of different complexity (for example a logistic regression and a small neural network) in ${evidence.specFile}, so the choice between them is argued from measurements.`,
          `Run ${run.runId} measures ${candidates.length} candidate model(s) beyond the baselines.`,
        );
      }
      return pass(
        ...measured.map(
          (model) =>
            `${model.id}: ${metric} ${interval(primary(run, model)!)}, p99 latency ${fixed(model.timings.predictP99Us, 1)} µs, ${(model.sizeBytes / 1024).toFixed(1)} KiB, interpretability ${model.interpretability}, trained in ${(model.timings.trainMs / 1000).toFixed(1)} s.`,
        ),
      );
    }),
};

export const explanationPresent: Check = {
  id: 'explanation-present',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const found: string[] = [];
      if (run.importance?.features.length) {
        const top = [...run.importance.features]
          .sort((a, b) => b.increase.value - a.increase.value)
          .slice(0, 3)
          .map((entry) => `${entry.feature} (+${interval(entry.increase)})`);
        found.push(
          `Feature importance for ${run.importance.model} on ${run.importance.metric}; most important: ${top.join(', ')}.`,
          `Method: ${run.importance.method}`,
        );
      }
      if (run.partialDependence?.length) {
        found.push(
          `Partial dependence for ${run.partialDependence.map((entry) => `${entry.feature} (${entry.model})`).join(', ')}.`,
        );
      }
      if (!found.length) {
        return fail(
          `Rerun with a pipeline that records \`importance\` (permutation importance) and \`partialDependence\` for the best model: \`mlfolio run ${evidence.slug} --force\`.`,
          `Run ${run.runId} records no feature importance or partial dependence.`,
        );
      }
      return pass(...found);
    }),
};
