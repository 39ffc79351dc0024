import { type Check, fail, fixed, hasInterval, higherIsBetter, interval, pass, withRun } from '../check.ts';
import { bestCandidate } from './modelling-checks.ts';

export const leakageSafeSplit: Check = {
  id: 'leakage-safe-split',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const { train, test } = run.split;
      const shared = train.seasons.filter((season) => test.seasons.includes(season));
      const described = `Trained on ${train.seasons.join(', ')} (${train.rows} rows, ${train.from} to ${train.to}); tested on ${test.seasons.join(', ')} (${test.rows} rows, ${test.from} to ${test.to}).`;
      if (shared.length || !(train.to < test.from)) {
        return fail(
          'Split by time: every test row must come after the last training row, so the model is judged on a future it has not seen (set `split.by: season` in project.yaml).',
          described,
          shared.length
            ? `Season(s) ${shared.join(', ')} are in both the training and the test period.`
            : `The training period ends on ${train.to}, not before the test period starts on ${test.from}.`,
        );
      }
      const guard = run.leakageGuard;
      return pass(
        described,
        guard
          ? `Look-ahead check (${guard.method}) passed: ${guard.checkedValues} feature values of ${guard.checkedRows} rows recomputed at ${guard.probes.length} cut-off dates.`
          : 'The test period starts after the last training match; features use only matches on earlier dates.',
      );
    }),
};

export const intervalsReported: Check = {
  id: 'intervals-reported',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const metric = run.task.primaryMetric;
      const headline = [run.models.find((m) => m.id === run.best), bestCandidate(run)].filter(
        (model, index, all) => model && all.indexOf(model) === index,
      );
      const missing = run.models.filter((model) => !hasInterval(model.metrics[metric]));
      if (missing.length) {
        return fail(
          `Rerun with a pipeline that bootstraps 95% intervals for every metric: \`mlfolio run ${evidence.slug} --force\`. A point estimate on one test season cannot say whether a difference is real.`,
          `Run ${run.runId}: ${missing.map((m) => m.id).join(', ')} report ${metric} without an interval.`,
        );
      }
      return pass(
        ...headline.map(
          (model) => `${model!.id}: ${metric} ${interval(model!.metrics[metric]!)} (95% interval).`,
        ),
        `All ${run.models.length} models report ${metric} with an interval.`,
      );
    }),
};

export const calibrationChecked: Check = {
  id: 'calibration-checked',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const error = run.calibrationError?.[run.best];
      const bins = run.calibrationByModel?.[run.best] ?? run.calibration;
      if (!bins?.length && !error) {
        return fail(
          `Rerun with a pipeline that records reliability bins and the expected calibration error: \`mlfolio run ${evidence.slug} --force\`. Probabilities are only useful if 60% means 60%.`,
          `Run ${run.runId} records no calibration for ${run.best}.`,
        );
      }
      const found: string[] = [];
      if (error) found.push(`Expected calibration error of ${run.best}: ${interval(error)}.`);
      if (bins?.length) {
        const total = bins.reduce((sum, bin) => sum + bin.count, 0);
        const ece = bins.reduce(
          (sum, bin) => sum + (bin.count / total) * Math.abs(bin.predicted - bin.observed),
          0,
        );
        const worst = [...bins].sort(
          (a, b) => Math.abs(b.predicted - b.observed) - Math.abs(a.predicted - a.observed),
        )[0]!;
        found.push(
          `${bins.length} reliability bins for ${run.best} (ECE from the bins ${fixed(ece, 3)}); largest gap: forecast ${fixed(worst.predicted, 2)} vs observed ${fixed(worst.observed, 2)} over ${worst.count} probabilities.`,
        );
      }
      return pass(...found);
    }),
};

export const backtestRun: Check = {
  id: 'backtest-run',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const folds = run.backtest ?? [];
      if (folds.length < 2) {
        return fail(
          `Rerun with a pipeline that records a rolling-origin \`backtest\` (train on seasons up to N, test on N+1) over at least two seasons: \`mlfolio run ${evidence.slug} --force\`.`,
          folds.length
            ? `Run ${run.runId} backtests a single season (${folds[0]!.testSeason}).`
            : `Run ${run.runId} records no backtest: the model was judged on one season only.`,
        );
      }
      const metric = run.task.primaryMetric;
      const candidate = bestCandidate(run)?.id;
      const baseline = run.bestBaseline;
      const wins = folds.filter((fold) => {
        const model = fold.metrics[candidate ?? '']?.[metric];
        const reference = fold.metrics[baseline]?.[metric];
        if (model === undefined || reference === undefined) return false;
        return higherIsBetter(metric) ? model > reference : model < reference;
      }).length;
      return pass(
        `${folds.length} folds, tested on ${folds.map((fold) => fold.testSeason).join(', ')}.`,
        `${candidate ?? 'The best candidate'} beats ${baseline} on ${metric} in ${wins} of ${folds.length} folds.`,
      );
    }),
};

export const slicesExamined: Check = {
  id: 'slices-examined',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const slices = run.slices ?? [];
      if (slices.length < 2) {
        return fail(
          `Rerun with a pipeline that records test metrics per slice (per league, per season): \`mlfolio run ${evidence.slug} --force\`. An average can hide a segment where the model fails.`,
          `Run ${run.runId} records ${slices.length ? 'one slice' : 'no slices'}.`,
        );
      }
      const metric = run.task.primaryMetric;
      const scored = slices
        .map((slice) => ({ slice, value: slice.metrics[run.best]?.[metric]?.value }))
        .filter(
          (entry): entry is { slice: (typeof slices)[number]; value: number } => entry.value !== undefined,
        );
      const worst = scored.sort((a, b) =>
        higherIsBetter(metric) ? a.value - b.value : b.value - a.value,
      )[0];
      const dimensions = [...new Set(slices.map((slice) => slice.dimension))];
      return pass(
        `${slices.length} slices over ${dimensions.join(', ')}.`,
        ...(worst
          ? [
              `Weakest slice for ${run.best}: ${worst.slice.dimension} ${worst.slice.value} (${worst.slice.rows} rows), ${metric} ${fixed(worst.value)}.`,
            ]
          : []),
      );
    }),
};
