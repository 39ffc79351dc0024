import { z } from 'zod';
import { MlfolioError } from '../portfolio/errors.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import { parseWith } from '../portfolio/validate.ts';

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"');

/** A metric the experiment reads per unit: a project metric id (e.g. a proper score) or `decision-value`. */
export const experimentMetricSchema = z.strictObject({
  /** Metric id as the project declares it, or `decision-value` (the impact section's value per unit). */
  metric: z.string().min(1),
  /** Which way is better. */
  better: z.enum(['higher', 'lower']),
  /**
   * A ratio metric (sum of `metric` over sum of `denominator` per arm, analysed with the delta
   * method) instead of a per-unit mean.
   */
  denominator: z.string().min(1).optional(),
});

const nonInferioritySchema = z.strictObject({
  metric: z.string().min(1),
  better: z.enum(['higher', 'lower']),
  /** The largest tolerated degradation of the treatment against control, in the metric's units (> 0). */
  margin: z.number().positive(),
  denominator: z.string().min(1).optional(),
});

const stoppingRuleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed-horizon') }),
  z.strictObject({
    kind: z.literal('group-sequential'),
    /** Number of equally spaced looks, the last at the planned sample size. */
    looks: z.int().min(2).max(20),
    spending: z.literal('obrien-fleming').default('obrien-fleming'),
  }),
  z.strictObject({
    kind: z.literal('always-valid'),
    /**
     * Sample size (units) at which the mixture is tightest; defaults to the planned sample size.
     * Looking earlier or later stays valid, only less sharp.
     */
    tuningUnits: z.int().positive().optional(),
  }),
]);

/**
 * An experiment as a project declares it (the raw input). `normaliseExperiment` turns it into a
 * `Experiment` with defaults filled; `validateExperiment` checks it against the project's models.
 */
export const experimentSchema = z.strictObject({
  /** Stable key: part of every assignment hash, so changing it reshuffles every unit. */
  key: id,
  hypothesis: z.string().min(10),
  /** Arms by model id; exactly one is the control. */
  arms: z
    .array(
      z.strictObject({
        model: z.string().min(1),
        control: z.boolean().default(false),
        /** Share of the experiment's traffic, in percent. */
        traffic: z.number().min(0).max(100),
      }),
    )
    .min(2),
  /** What is randomised: a fixture (the request's fixture id) or a client (an id sent with the request). */
  unit: z.enum(['fixture', 'client']),
  /** `ab`: each unit is answered by its arm. `shadow`: every arm scores every unit, control answers. */
  mode: z.enum(['ab', 'shadow']).default('ab'),
  primaryMetric: experimentMetricSchema,
  /** Other metrics reported (with adjusted p-values), not deciding alone. */
  secondaryMetrics: z.array(experimentMetricSchema).default([]),
  guardrails: z
    .strictObject({
      /** Largest acceptable p99 latency of an arm's predictions, in milliseconds. */
      p99LatencyMs: z.number().positive().optional(),
      /** Largest acceptable share of failed predictions in an arm (0–1). */
      errorRate: z.number().min(0).max(1).optional(),
      nonInferiority: z.array(nonInferioritySchema).default([]),
    })
    .default({ nonInferiority: [] }),
  /** Smallest effect worth detecting on the primary metric, in its units (absolute difference). */
  minimumDetectableEffect: z.number(),
  /** Significance level (two-sided) and planned power. */
  alpha: z.number().gt(0).lt(0.5).default(0.05),
  power: z.number().gt(0.5).lt(1).default(0.8),
  /** Planned number of units in the experiment (all arms), the fixed horizon. */
  plannedUnits: z.int().positive(),
  stoppingRule: stoppingRuleSchema.default({ kind: 'fixed-horizon' }),
  /** Correction across primary and secondary metrics. */
  multipleTesting: z.enum(['holm', 'benjamini-hochberg']).default('holm'),
  /**
   * A pre-assignment covariate for CUPED (a feature or a baseline model's score for the same unit,
   * logged with the exposure or the outcome); omitted: no variance reduction.
   */
  cupedCovariate: z.string().min(1).optional(),
  /** Assignment seed. */
  seed: z.string().min(1).default('mlfolio'),
  /**
   * Where the experiment sits: experiments in the same layer with disjoint ranges never share a
   * unit; experiments in different layers are assigned independently.
   */
  layer: z
    .strictObject({
      name: id.default('default'),
      /** Range of the layer's buckets the experiment takes, in percent [from, to). */
      from: z.number().min(0).max(100).default(0),
      to: z.number().min(0).max(100).default(100),
    })
    .default({ name: 'default', from: 0, to: 100 }),
  /** Share of all units (percent) held out of every experiment with this seed: they get the control, unlogged. */
  holdoutPercent: z.number().min(0).max(50).default(0),
});

export type ExperimentSpec = z.input<typeof experimentSchema>;
export type Experiment = z.output<typeof experimentSchema>;
export type ExperimentMetric = z.output<typeof experimentMetricSchema>;

/** The metric id the decision value is declared under. */
export const decisionValueMetric = 'decision-value';

/**
 * Parses an experiment declaration from `source` (a file path, for messages) and checks it against
 * the project: every arm names one of `modelIds`, exactly one control, traffic summing to 100, a
 * non-zero MDE, a layer range that is not empty. If `metricIds` is given, metrics must be among
 * them (or `decision-value`). Throws `E_EXPERIMENT_INVALID` naming the field and what was received.
 */
export function parseExperiment(
  data: unknown,
  source: string,
  project: { modelIds: readonly string[]; metricIds?: readonly string[] },
): Experiment {
  const experiment = parseWith(experimentSchema, data, source, 'E_EXPERIMENT_INVALID');
  validateExperiment(experiment, source, project);
  return experiment;
}

/** The cross-field checks of `parseExperiment`, for an already parsed experiment. */
export function validateExperiment(
  experiment: Experiment,
  source: string,
  project: { modelIds: readonly string[]; metricIds?: readonly string[] },
): void {
  const problems = experimentValidationProblems(experiment, project);
  if (problems.length > 0) {
    throw new MlfolioError({
      code: 'E_EXPERIMENT_INVALID',
      message: `${source}: experiment "${experiment.key}" is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      hint: `Fix the field${problems.length > 1 ? 's' : ''} above in ${source} and run the command again.`,
    });
  }
}

/**
 * The problems `validateExperiment` reports, one sentence each starting with the field (relative
 * to the experiment), for callers that gather problems of a larger file.
 */
export function experimentValidationProblems(
  experiment: Experiment,
  project: { modelIds: readonly string[]; metricIds?: readonly string[] },
): string[] {
  const problems: string[] = [];
  experiment.arms.forEach((arm, i) => {
    if (!project.modelIds.includes(arm.model)) {
      problems.push(
        `arms[${i}].model: unknown model "${arm.model}". ${didYouMean(arm.model, project.modelIds)}`,
      );
    }
  });
  const models = experiment.arms.map((arm) => arm.model);
  const repeated = models.filter((model, i) => models.indexOf(model) !== i);
  if (repeated.length > 0) problems.push(`arms: model "${repeated[0]}" appears in more than one arm.`);
  const controls = experiment.arms.filter((arm) => arm.control).length;
  if (controls !== 1) {
    problems.push(`arms: exactly one arm must have \`control: true\`; received ${controls}.`);
  }
  const total = experiment.arms.reduce((sum, arm) => sum + arm.traffic, 0);
  if (Math.abs(total - 100) > 1e-9) {
    problems.push(
      `arms[].traffic: the split must sum to 100; received ${experiment.arms.map((arm) => arm.traffic).join(' + ')} = ${total}.`,
    );
  }
  if (experiment.arms.some((arm) => arm.traffic === 0)) {
    problems.push('arms[].traffic: an arm with 0% traffic never receives a unit; remove it instead.');
  }
  if (experiment.minimumDetectableEffect === 0 || !Number.isFinite(experiment.minimumDetectableEffect)) {
    problems.push(
      `minimumDetectableEffect: must be a non-zero effect in the primary metric's units; received ${experiment.minimumDetectableEffect}.`,
    );
  }
  if (experiment.layer.from >= experiment.layer.to) {
    problems.push(
      `layer: "from" (${experiment.layer.from}) must be below "to" (${experiment.layer.to}); the range is empty.`,
    );
  }
  if (project.metricIds) {
    const known = [...project.metricIds, decisionValueMetric];
    const check = (field: string, metric: string | undefined) => {
      if (metric !== undefined && !known.includes(metric)) {
        problems.push(`${field}: unknown metric "${metric}". ${didYouMean(metric, known)}`);
      }
    };
    check('primaryMetric.metric', experiment.primaryMetric.metric);
    check('primaryMetric.denominator', experiment.primaryMetric.denominator);
    experiment.secondaryMetrics.forEach((m, i) => {
      check(`secondaryMetrics[${i}].metric`, m.metric);
      check(`secondaryMetrics[${i}].denominator`, m.denominator);
    });
    experiment.guardrails.nonInferiority.forEach((m, i) => {
      check(`guardrails.nonInferiority[${i}].metric`, m.metric);
      check(`guardrails.nonInferiority[${i}].denominator`, m.denominator);
    });
  }
  return problems;
}

/** The control arm's model id. Valid experiments have exactly one. */
export function controlArm(experiment: Experiment): string {
  return experiment.arms.find((arm) => arm.control)!.model;
}
