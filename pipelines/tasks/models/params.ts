import type { z } from 'zod';
import { MlfolioError } from '../../../portfolio/errors.ts';

/**
 * A model's params parsed with its strict schema and defaults filled in, or an
 * `E_MODEL_PARAMS_INVALID` error naming the model, what was received and every problem.
 */
export function parseParams<S extends z.ZodType>(model: string, schema: S, params: unknown): z.output<S> {
  const parsed = schema.safeParse(params ?? {});
  if (parsed.success) return parsed.data;
  throw new MlfolioError({
    code: 'E_MODEL_PARAMS_INVALID',
    message: `${model}: invalid params ${JSON.stringify(params)}: ${parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(params)'}: ${issue.message}`)
      .join('; ')}.`,
    hint: "Fix the model's params in the project file; unknown keys are rejected.",
  });
}
