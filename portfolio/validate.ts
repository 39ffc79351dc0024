import type { z } from 'zod';
import { MlfolioError } from './errors.ts';
import { didYouMean } from './suggest.ts';

/**
 * Parses untrusted `data` (from `source`, a file path or URL) with `schema`. On failure throws one
 * error that lists every problem with its field path, what was received (shortened: never a whole
 * object), and the nearest valid name for misspelt keys, values and kinds (discriminators). Data
 * that is `null` or `undefined` where fields are expected (an empty YAML file) is reported as empty,
 * with the fields expected.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  data: unknown,
  source: string,
  code = 'E_INVALID_FILE',
): z.output<S> {
  const result = schema.safeParse(data, { reportInput: true });
  if (result.success) return result.data;
  const required = requiredKeys(schema);
  if ((data === null || data === undefined) && required.length) {
    throw new MlfolioError({
      code,
      message: `${source} is empty; it needs at least the fields ${required.join(', ')}.`,
      hint: `Write the fields into ${source} (see the README for an example) and run the command again.`,
    });
  }
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
      return `${where}: received ${received(issue.input)}. ${didYouMean(String(issue.input), values)}`;
    }
    case 'invalid_type':
      return issue.input === undefined
        ? `${where}: missing; expected ${issue.expected}.`
        : `${where}: expected ${issue.expected}, received ${received(issue.input)}.`;
    case 'invalid_union': {
      const kind = discriminatorIssue(issue);
      if (kind) {
        return kind.value === undefined
          ? `${where}: missing; expected one of ${kind.options.map((o) => `"${o}"`).join(', ')}.`
          : `${where}: received ${received(kind.value)}. ${didYouMean(String(kind.value), kind.options)}`;
      }
      return `${where}: ${issue.message}${issue.input === undefined ? '' : ` (received ${received(issue.input)})`}.`;
    }
    case 'custom':
      // A refinement's input is the object it refined (for a cross-field check, the whole file),
      // which says nothing its message does not.
      return `${where}: ${issue.message}${/[.?!]$/.test(issue.message) ? '' : '.'}`;
    default:
      return `${where}: ${issue.message}${'input' in issue && issue.input !== undefined ? ` (received ${received(issue.input)})` : ''}.`;
  }
}

/**
 * A discriminated union that matched no option (zod reports it at the discriminator's path, with
 * the object as input): the value given for the discriminator, and the valid ones.
 */
function discriminatorIssue(
  issue: z.core.$ZodIssueInvalidUnion,
): { value: unknown; options: string[] } | undefined {
  const extra = issue as unknown as { discriminator?: unknown; options?: unknown };
  if (typeof extra.discriminator !== 'string' || !Array.isArray(extra.options)) return undefined;
  const input = issue.input;
  const value =
    input !== null && typeof input === 'object'
      ? (input as Record<string, unknown>)[extra.discriminator]
      : undefined;
  return { value, options: extra.options.map(String) };
}

/** A received value as an error shows it: primitives and short values as JSON, long ones summarised. */
export function received(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  if (json.length <= 80 || value === null || typeof value !== 'object') {
    return json.length <= 200 ? json : `${json.slice(0, 197)}…`;
  }
  return Array.isArray(value)
    ? `a list of ${value.length} item${value.length === 1 ? '' : 's'}`
    : `an object with the fields ${Object.keys(value).join(', ')}`.slice(0, 200);
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

/** The fields an object schema requires: neither optional nor defaulted (zod marks both in `optin`). */
function requiredKeys(schema: z.core.$ZodType): string[] {
  const current = unwrap(schema);
  const def = current?._zod.def as unknown as Record<string, unknown> | undefined;
  if (def?.type !== 'object') return [];
  return Object.entries(def.shape as Record<string, z.core.$ZodType>)
    .filter(([, field]) => field._zod.optin === undefined)
    .map(([key]) => key);
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
