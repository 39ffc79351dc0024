import { z } from 'zod';
import { taskKinds } from '../../pipelines/tasks/task.ts';

/**
 * What a project predicts. The task is always declared, never inferred: a target whose values
 * contradict it is an error naming the task that fits.
 */
export const targetSpecSchema = z.strictObject({
  task: z.enum(taskKinds),
  /** A column of the events table (a derived one included). */
  column: z.string().min(1).optional(),
  /**
   * A per-entity future value instead: the entity's value of `column` at its next event (next
   * season's wins), joined back to this event. Rows whose entity has no next event are left out
   * of training and testing, with the count reported.
   */
  future: z
    .strictObject({
      entity: z.string().min(1),
      role: z.string().min(1).default('self'),
      column: z.string().min(1),
      /** Events ahead: 1 is the next one. */
      horizon: z.number().int().positive().default(1),
    })
    .optional(),
  /**
   * Class labels in order, for binary ([negative, positive]), multiclass and ordinal (lowest to
   * highest, the order RPS and the ordinal model use). Values of the target column must be these.
   */
  classes: z.array(z.string().min(1)).min(2).optional(),
  /** How the target is named on the site ("next season's wins"). */
  label: z.string().min(1).optional(),
});
export type TargetSpec = z.output<typeof targetSpecSchema>;

/** Train on the past, test on the latest period, with an optional gap between them. */
export const splitSpecSchema = z.strictObject({
  by: z.enum(['season', 'date']).default('season'),
  /** Seasons held out for the final test (`by: season`). */
  testSeasons: z.number().int().positive().default(1),
  /** First test date (`by: date`), YYYY-MM-DD. */
  testFrom: z.iso.date().optional(),
  /** Seasons (or days, `by: date`) left out between training and test, so the test is a real forecast ahead. */
  gap: z.number().int().nonnegative().default(0),
});
export type SplitSpec = z.output<typeof splitSpecSchema>;

export const backtestSpecSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** The first fold trains on this many seasons. */
  minTrainSeasons: z.number().int().positive().default(1),
  /** At most this many folds, the latest ones (long histories would otherwise train hundreds of models). */
  maxFolds: z.number().int().positive().default(5),
  models: z.array(z.string()).optional(),
});

/**
 * A decision taken with the predictions, valued in its own units, against what people do today.
 * - `pick`: act on the most probable class (tip a result); `value` per correct and wrong pick.
 * - `threshold`: act when P(positive) ≥ `threshold` (binary); value per true/false positive, and
 *   for not acting.
 * - `estimate`: use the point forecast (regression, count); the value is minus the absolute error,
 *   so the gain over the status quo is the error saved, in the target's units.
 * - `top-k`: pick the k rows with the highest forecast per period; value = sum of their outcomes.
 */
export const decisionSpecSchema = z.discriminatedUnion('rule', [
  z.strictObject({
    rule: z.literal('pick'),
    value: z.strictObject({ correct: z.number().default(1), wrong: z.number().default(0) }).prefault({}),
  }),
  z.strictObject({
    rule: z.literal('threshold'),
    threshold: z.number().min(0).max(1).default(0.5),
    value: z
      .strictObject({
        truePositive: z.number().default(1),
        falsePositive: z.number().default(-1),
        skip: z.number().default(0),
      })
      .prefault({}),
  }),
  z.strictObject({ rule: z.literal('estimate') }),
  z.strictObject({ rule: z.literal('top-k'), k: z.number().int().positive() }),
]);
export type DecisionSpec = z.output<typeof decisionSpecSchema>;

export const impactSpecSchema = z.strictObject({
  /** What the forecasts are used to decide, in one sentence. */
  decision: z.string().min(1),
  /** The unit of value (points, wins, …). */
  unit: z.string().min(1),
  rule: decisionSpecSchema,
  /**
   * What people do today: the decisions of a declared model (usually a baseline, e.g. last season's
   * value), or one fixed decision (always the class `H`; always the value 81).
   */
  statusQuo: z.union([
    z.strictObject({ model: z.string().min(1), label: z.string().min(1).optional() }),
    z.strictObject({ always: z.union([z.string().min(1), z.number()]), label: z.string().min(1) }),
  ]),
  /** Model ids the policy is also compared against. */
  compareWith: z.array(z.string()).default([]),
});
export type ImpactSpec = z.output<typeof impactSpecSchema>;
