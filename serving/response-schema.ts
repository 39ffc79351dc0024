import { z } from 'zod';

/** Response shapes every served project shares, for the OpenAPI description (responses are serialised with JSON.stringify). */
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
