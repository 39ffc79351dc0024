import { type Check, fail, pass, withRun } from '../check.ts';

export const provenanceLicence: Check = {
  id: 'provenance-licence',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const dataset = run.inputs.dataset;
      const missing = [
        dataset.origin.length ? undefined : 'origin',
        dataset.licence.trim() && !/^unknown$/i.test(dataset.licence.trim()) ? undefined : 'licence',
        dataset.attribution.trim() ? undefined : 'attribution',
        dataset.collectedAt ? undefined : 'collection time',
        dataset.sha256 ? undefined : 'content hash',
      ].filter((field): field is string => field !== undefined);
      if (missing.length) {
        return fail(
          `State the dataset's ${missing.join(', ')} in its source (scrapers/) so every run records it; a reader must know where the data came from and whether it may be published.`,
          `Run ${run.runId} records no ${missing.join(', ')} for its dataset.`,
        );
      }
      return pass(
        `${dataset.rows} rows from ${dataset.origin.join(', ')} (${dataset.source}, ${dataset.transport} transport), collected ${dataset.collectedAt}.`,
        `Licence: ${dataset.licence}. Attribution: ${dataset.attribution}.`,
        `Dataset sha256 ${dataset.sha256.slice(0, 12)}….`,
      );
    }),
};

export const labelsAccounted: Check = {
  id: 'labels-accounted',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const dataset = run.inputs.dataset;
      const counted = Object.values(dataset.excludedReasons).reduce((sum, n) => sum + n, 0);
      if (!run.task.target || run.task.classes.length < 2) {
        return fail(
          'Define the target and its classes in the pipeline so the run records what is being predicted.',
          `Run ${run.runId} records target "${run.task.target}" with ${run.task.classes.length} class(es).`,
        );
      }
      if (counted !== dataset.excludedRows) {
        return fail(
          'Give every record left out of the dataset a reason at collection, so the labelled data can be audited.',
          `${dataset.excludedRows} records were left out, but the reasons account for ${counted}.`,
        );
      }
      const reasons = Object.entries(dataset.excludedReasons).map(([reason, n]) => `${n} × ${reason}`);
      return pass(
        `Target "${run.task.target}" with classes ${run.task.classes.join(', ')}; ${dataset.rows} labelled records.`,
        dataset.excludedRows
          ? `${dataset.excludedRows} record(s) left out, each with a reason: ${reasons.join('; ')}.`
          : 'No record was left out.',
      );
    }),
};

export const featuresPointInTime: Check = {
  id: 'features-point-in-time',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const reference = run.featureReference;
      const missing = run.task.features.filter((feature) => reference?.[feature] === undefined);
      if (!reference || missing.length) {
        return fail(
          `Rerun with a pipeline that records \`featureReference\` (the training-period value of every feature, which serving and explanations share): \`mlfolio run ${evidence.slug} --force\`.`,
          reference
            ? `Run ${run.runId} has no reference value for ${missing.join(', ')}.`
            : `Run ${run.runId} records no feature reference.`,
        );
      }
      return pass(
        `${run.task.features.length} features defined once in the pipeline and computed from earlier dates only; a training-period reference value is recorded for each.`,
      );
    }),
};
