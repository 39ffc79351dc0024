import type { FastifyInstance, FastifySchema } from 'fastify';
import { z } from 'zod';
import { describeIssues, RequestValidationError } from './request-issues.ts';

/**
 * Lets routes declare zod schemas (or JSON Schema, converted to zod): requests are parsed with them
 * (a failure is a 400 naming every field), responses are serialised as plain JSON, and the OpenAPI description is generated from
 * the same schemas, so the documentation cannot drift from what is enforced.
 */
export function useZodSchemas(app: FastifyInstance): void {
  app.setValidatorCompiler(({ schema, httpPart }) => {
    // A plugin declaring plain JSON Schema (the experiment routes) is validated the same way.
    const zodSchema =
      schema instanceof z.ZodType
        ? schema
        : z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
    return (data: unknown) => {
      const result = zodSchema.safeParse(data, { reportInput: true });
      if (result.success) return { value: result.data };
      return {
        error: new RequestValidationError(
          describeIssues(zodSchema, result.error.issues, httpPart ?? 'body'),
          httpPart ?? 'body',
        ),
      };
    };
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/** Turns a route's zod schemas into OpenAPI 3.0 schema objects, for @fastify/swagger's `transform`. */
export function zodToOpenApi({ schema, url }: { schema: FastifySchema; url: string }): {
  schema: FastifySchema;
  url: string;
} {
  if (!schema) return { schema, url };
  const convert = (value: unknown, io: 'input' | 'output') =>
    value instanceof z.ZodType
      ? z.toJSONSchema(value, { target: 'openapi-3.0', io, unrepresentable: 'any' })
      : value;
  const transformed: Record<string, unknown> = { ...schema };
  for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
    if (part in schema) transformed[part] = convert(schema[part], 'input');
  }
  if (schema.response && typeof schema.response === 'object') {
    transformed.response = Object.fromEntries(
      Object.entries(schema.response as Record<string, unknown>).map(([code, value]) => [
        code,
        convert(value, 'output'),
      ]),
    );
  }
  return { schema: transformed as FastifySchema, url };
}
