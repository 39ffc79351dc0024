import { z } from 'zod';

/**
 * Exact contributions evaluate the model on every coalition of the features it reads: 2^d forward
 * passes per prediction (2,048 for 11 features). A request may spend at most `budget` passes on
 * explanations, so a large explained batch cannot block the server's event loop for seconds.
 */
export function explainedPredictionsLimit(featuresRead: number, budget: number): number {
  return Math.max(1, Math.floor(budget / 2 ** featuresRead));
}

/**
 * A batch of prediction items with one `explain` flag for all of them, refusing to explain more
 * items than `maxExplained` (contributions cost one model evaluation per feature coalition).
 */
export function predictionBatchSchema<T extends z.ZodType>(
  item: T,
  explain: z.ZodDefault<z.ZodBoolean>,
  context: { maxBatch: number; maxExplained: number },
) {
  return z
    .strictObject({
      items: z.array(item).min(1).max(context.maxBatch).describe(`1 to ${context.maxBatch} predictions.`),
      explain: explain.describe(
        `Include per-feature contributions; allowed for at most ${context.maxExplained} items per request.`,
      ),
    })
    .superRefine((value, ctx) => {
      if (value.explain && value.items.length > context.maxExplained) {
        ctx.addIssue({
          code: 'custom',
          path: ['explain'],
          input: value.explain,
          message: `contributions are exact and cost one model evaluation per feature coalition, so at most ${context.maxExplained} predictions per request can be explained (got ${value.items.length}); send "explain": false, or split the batch`,
        });
      }
    });
}
