import { z } from 'zod';

/** Response shapes, for the OpenAPI description (responses are serialised with JSON.stringify). */
const byClass = z.record(z.string(), z.number()).describe('Keyed by outcome class: H (home win), D, A.');

export const modelVersionSchema = z.object({
  project: z.string(),
  runId: z.string().describe('The pipeline run that trained the model.'),
  runKey: z.string(),
  modelId: z.string(),
  kind: z.string(),
  label: z.string(),
  promotedBy: z
    .string()
    .describe('`latest-run-best`, or how the model was promoted: retrain, replay, manual.'),
  promotedAt: z.string().optional(),
});

export const predictionSchema = z.object({
  probabilities: byClass,
  mostLikely: z.string(),
  features: z.record(z.string(), z.number()).describe('The feature values the model was given.'),
  contributions: z
    .array(z.object({ feature: z.string(), value: z.number(), probabilities: byClass }))
    .optional()
    .describe('Baseline-Shapley contribution of each feature; they sum to probabilities − reference.'),
  reference: byClass.optional().describe('Prediction for the reference fixture (training means).'),
});

export const singleResponseSchema = z.object({ model: modelVersionSchema, prediction: predictionSchema });
export const batchResponseSchema = z.object({
  model: modelVersionSchema,
  predictions: z.array(predictionSchema),
});

export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

export const healthResponseSchema = z.object({
  status: z.enum(['ok', 'closing']),
  model: modelVersionSchema,
  uptimeSeconds: z.number(),
});

export const modelResponseSchema = z.object({
  model: modelVersionSchema,
  classes: z.array(z.string()),
  features: z.array(z.string()),
  dataEnd: z.string().describe('Last match date in the data; fixtures must be later.'),
  teams: z.number().int().describe('How many teams GET /v1/teams lists.'),
  maxBatch: z.number().int(),
  maxExplainedPerRequest: z.number().int().describe('Most predictions one request may ask to explain.'),
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

export const teamsResponseSchema = z.object({ teams: z.array(z.string()) });
