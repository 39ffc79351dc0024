import type { z } from 'zod';
import { nearest } from '../portfolio/suggest.ts';
import { fieldPath, objectKeysAt } from '../portfolio/validate.ts';

/** One problem with a request, named by its field path (`items[2].event.time`). */
export interface RequestIssue {
  field: string;
  message: string;
}

/** A request that failed validation: answered with 400 and every issue, never with a prediction. */
export class RequestValidationError extends Error {
  override readonly name = 'RequestValidationError';
  readonly statusCode = 400;
  readonly code = 'E_INVALID_REQUEST';
  readonly issues: RequestIssue[];

  constructor(issues: RequestIssue[], where: string) {
    super(
      `The request ${where} is not valid (${issues.length} problem${issues.length === 1 ? '' : 's'}): ${issues[0]?.field} ${issues[0]?.message}${issues.length > 1 ? ' See `issues` for the rest.' : ''}`,
    );
    this.issues = issues;
  }
}

/** Describes zod issues for an API client: the field path, what was expected, what was received. */
export function describeIssues(
  schema: z.ZodType,
  issues: readonly z.core.$ZodIssue[],
  prefix: string,
): RequestIssue[] {
  return issues.flatMap((issue): RequestIssue[] => {
    const path = [prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
    const field = fieldPath(path).replace(/^\./, '');
    switch (issue.code) {
      case 'unrecognized_keys':
        return issue.keys.map((key) => {
          const known = objectKeysAt(schema, issue.path);
          const suggestion = known.length ? nearest(key, known) : undefined;
          return {
            field: fieldPath([...path, key]),
            message: `unknown field.${suggestion ? ` Did you mean "${suggestion}"?` : known.length ? ` Fields here: ${known.join(', ')}.` : ''}`,
          };
        });
      case 'invalid_type':
        return [
          {
            field,
            message:
              issue.input === undefined
                ? `missing; expected ${issue.expected}.`
                : `expected ${issue.expected}, received ${preview(issue.input)}.`,
          },
        ];
      case 'invalid_value':
        return [
          {
            field,
            message: `received ${preview(issue.input)}; expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}.`,
          },
        ];
      default:
        return [
          {
            field,
            message: `${issue.message.replace(/\.$/, '')}${'input' in issue && issue.input !== undefined ? ` (received ${preview(issue.input)})` : ''}.`,
          },
        ];
    }
  });
}

/** A received value, shortened so a hostile request cannot make the error response huge. */
function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // A cycle, or nesting too deep to stringify (String() would recurse as deep and throw too).
    text = Array.isArray(value) ? '[…]' : typeof value === 'object' ? '{…}' : typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
