import type { z } from 'zod';
import { MlfolioError } from './errors.ts';
import { didYouMean } from './suggest.ts';

/**
 * Parses untrusted `data` (from `source`, a file path or URL) with `schema`. On failure throws one
 * error that lists every problem with its field path, what was received, and the nearest valid
 * name for misspelt keys and values.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  data: unknown,
  source: string,
  code = 'E_INVALID_FILE',
): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `  - ${describeIssue(schema, issue)}`);
  throw new MlfolioError({
    code,
    message: `${source} is not valid:\n${problems.join('\n')}`,
    hint: `Fix the field${problems.length > 1 ? 's' : ''} above in ${source} and run the command again.`,
  });
}

export function fieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i ? '.' : ''}${String(part)}`))
    .join('');
}

function describeIssue(schema: z.ZodType, issue: z.core.$ZodIssue): string {
  const where = fieldPath(issue.path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = objectKeysAt(schema, issue.path);
      return issue.keys
        .map((key) => {
          const at = fieldPath([...issue.path, key]);
          return `${at}: unknown field. ${known.length ? didYouMean(key, known) : ''}`.trim();
        })
        .join('\n  - ');
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      return `${where}: received ${JSON.stringify(issue.input)}. ${didYouMean(String(issue.input), values)}`;
    }
    case 'invalid_type':
      return issue.input === undefined
        ? `${where}: missing; expected ${issue.expected}.`
        : `${where}: expected ${issue.expected}, received ${JSON.stringify(issue.input)}.`;
    default:
      return `${where}: ${issue.message}${'input' in issue && issue.input !== undefined ? ` (received ${JSON.stringify(issue.input)})` : ''}.`;
  }
}

/** The keys an object schema accepts at `path`, looking through arrays, unions, optionals and defaults. */
export function objectKeysAt(schema: z.core.$ZodType | undefined, path: readonly PropertyKey[]): string[] {
  const current = unwrap(schema);
  if (!current) return [];
  const def = current._zod.def as unknown as Record<string, unknown>;
  if (def.type === 'union') {
    const keys = (def.options as z.core.$ZodType[]).flatMap((option) => objectKeysAt(option, path));
    return [...new Set(keys)];
  }
  const [part, ...rest] = path;
  if (part === undefined) return def.type === 'object' ? Object.keys(def.shape as object) : [];
  if (def.type === 'object')
    return objectKeysAt((def.shape as Record<string, z.core.$ZodType>)[String(part)], rest);
  if (def.type === 'array') return objectKeysAt(def.element as z.core.$ZodType, rest);
  if (def.type === 'record') return objectKeysAt(def.valueType as z.core.$ZodType, rest);
  return [];
}

function unwrap(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let current = schema;
  for (let depth = 0; current && depth < 10; depth++) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    if ('innerType' in def) current = def.innerType as z.core.$ZodType;
    else if (def.type === 'pipe') current = def.in as z.core.$ZodType;
    else return current;
  }
  return current;
}
