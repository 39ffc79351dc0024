import { z } from 'zod';
import { modelVersionSchema } from '../response-schema.ts';

/** Response shapes of a version 2 project's API, for the OpenAPI description. */
const interval = z.object({ lower: z.number(), upper: z.number() });

export const taskPredictionSchema = z.object({
  forecast: z
    .union([
      z.object({ kind: z.literal('probabilities'), p: z.array(z.number()) }),
      z.object({ kind: z.literal('gaussian'), mean: z.number(), sd: z.number() }),
      z.object({ kind: z.literal('poisson'), mean: z.number() }),
    ])
    .describe('The predictive distribution, exactly as the model computed it.'),
  probabilities: z
    .record(z.string(), z.number())
    .optional()
    .describe('Classification: the probability of each class.'),
  mostLikely: z.string().optional().describe('Classification: the most probable class.'),
  mean: z.number().optional().describe('Regression: the predictive mean; count: the Poisson rate.'),
  sd: z.number().optional().describe('Regression: the predictive standard deviation.'),
  intervals: z
    .record(z.string(), interval)
    .optional()
    .describe('Regression and count: central predictive intervals keyed by level ("80", "95").'),
  features: z.record(z.string(), z.number()).describe('The feature values the model read.'),
  asOf: z
    .record(z.string(), z.string().nullable())
    .describe('Time of the latest data behind each feature; null for a prior or a value given directly.'),
  featuresAsOf: z.string().nullable().describe('The newest as-of time among the features.'),
  stale: z
    .array(
      z.object({
        feature: z.string(),
        view: z.string(),
        age: z.number(),
        unit: z.enum(['days', 'seasons']),
        ttl: z.string(),
      }),
    )
    .describe('Features older than their view’s TTL at the event’s time.'),
  unknownEntities: z
    .array(z.object({ role: z.string(), entity: z.string(), key: z.string() }))
    .describe('Entity keys with no history: their features are the views’ priors.'),
  contributions: z
    .array(z.object({ feature: z.string(), value: z.number(), effect: z.record(z.string(), z.number()) }))
    .optional()
    .describe('Baseline-Shapley contribution of each feature; they sum to the forecast − reference.'),
  reference: z
    .record(z.string(), z.number())
    .optional()
    .describe('The forecast for the reference row (training-period means).'),
});

export const taskSingleResponseSchema = z.object({
  model: modelVersionSchema,
  prediction: taskPredictionSchema,
});
export const taskBatchResponseSchema = z.object({
  model: modelVersionSchema,
  predictions: z.array(taskPredictionSchema),
});

export const taskModelResponseSchema = z.object({
  model: modelVersionSchema,
  task: z.enum(['binary', 'multiclass', 'ordinal', 'regression', 'count']),
  classes: z.array(z.string()),
  features: z.array(z.string()),
  event: z
    .object({
      time: z.enum(['date', 'season']),
      season: z.boolean().describe('Whether an event names its season.'),
      roles: z.record(z.string(), z.object({ entity: z.string(), key: z.string() })),
      columns: z.array(z.string()),
    })
    .describe('What an event in a prediction request names.'),
  dataEnd: z.string().describe('The last time in the data; events must be later.'),
  pointInTime: z.boolean().describe('Whether past events are served as of their own time (replays).'),
  entities: z
    .record(z.string(), z.number().int())
    .describe('How many keys GET /v1/entities lists per entity.'),
  maxBatch: z.number().int(),
  maxExplainedPerRequest: z.number().int(),
  metrics: z.record(
    z.string(),
    z.object({ value: z.number(), lower: z.number().optional(), upper: z.number().optional() }),
  ),
  testPeriod: z.object({
    seasons: z.array(z.string()),
    from: z.string(),
    to: z.string(),
    rows: z.number().int(),
  }),
});

export const entitiesResponseSchema = z.object({ entities: z.record(z.string(), z.array(z.string())) });
