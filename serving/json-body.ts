import { fieldPath } from '../portfolio/validate.ts';
import { type RequestIssue, RequestValidationError } from './request-issues.ts';

/**
 * Deepest nesting of arrays and objects a request body may have. The API's deepest request is a
 * batch (`{"items": [{"features": {…}}]}`, 4 levels); anything far deeper is refused before it is
 * parsed, so no later step (parsing, validation, formatting an error) can exhaust the stack.
 */
export const maxBodyDepth = 16;

/** A body that is not a JSON value the API can read: answered with 400 and a code of its own. */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
  readonly statusCode = 400;
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * Parses a JSON request body. Refuses, each with its own message: an empty body; nesting deeper
 * than {@link maxBodyDepth} (before parsing); text that is not JSON, with the line and column and,
 * for a bare `NaN` or `Infinity`, why JSON has none; and, as field issues, `__proto__` keys,
 * `constructor.prototype` keys and numbers too large for a double (`1e400` parses to Infinity).
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') {
    throw new RequestBodyError(
      'E_INVALID_JSON',
      'The body is empty; send a JSON object, e.g. {"fixture": {"homeTeam": "…", "awayTeam": "…", "date": "YYYY-MM-DD"}}.',
    );
  }
  checkDepth(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RequestBodyError('E_INVALID_JSON', invalidJsonMessage(text, error as Error), { cause: error });
  }
  const issues = unsafeValues(value);
  if (issues.length) throw new RequestValidationError(issues, 'body');
  return value;
}

/** Scans brackets outside strings: linear, no recursion, stops at the first level too deep. */
function checkDepth(text: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > maxBodyDepth) {
        throw new RequestBodyError(
          'E_BODY_TOO_DEEP',
          `The body nests arrays or objects more than ${maxBodyDepth} deep (at ${lineAndColumn(text, i)}); requests to this API nest at most 4 deep, e.g. {"items": [{"features": {…}}]}.`,
        );
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

function invalidJsonMessage(text: string, error: Error): string {
  const bare = firstBareNonNumber(text);
  if (bare) {
    return `The body is not valid JSON: bare ${bare.token} at ${lineAndColumn(text, bare.index)}. JSON has no NaN or Infinity; send a finite number, or leave the field out.`;
  }
  return `The body is not valid JSON: ${error.message.replace(/\.$/, '')}. Check it with a JSON validator, and send it with "Content-Type: application/json".`;
}

/** The first `NaN`, `Infinity` or `-Infinity` outside a string, as JavaScript (not JSON) would write it. */
function firstBareNonNumber(text: string): { token: string; index: number } | undefined {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === 'N' || c === 'I' || c === '-') {
      const token = /^-?(?:NaN|Infinity)/.exec(text.slice(i, i + 9))?.[0];
      if (token) return { token, index: i };
    }
  }
  return undefined;
}

function lineAndColumn(text: string, index: number): string {
  const before = text.slice(0, index);
  const line = before.split('\n').length;
  return `line ${line}, column ${index - before.lastIndexOf('\n')}`;
}

/** Keys that could alter prototypes downstream, and numbers JSON.parse turned into ±Infinity. */
function unsafeValues(root: unknown): RequestIssue[] {
  const issues: RequestIssue[] = [];
  // Depth is bounded by checkDepth, so an explicit stack is for clarity, not safety.
  const stack: { value: unknown; path: PropertyKey[] }[] = [{ value: root, path: ['body'] }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      issues.push({
        field: fieldPath(path),
        message:
          'received a number beyond the range of a double (about ±1.8e308), which would be read as Infinity; send a finite number.',
      });
    } else if (value && typeof value === 'object') {
      const children: { value: unknown; path: PropertyKey[] }[] = [];
      for (const [key, item] of Object.entries(value)) {
        const at = [...path, Array.isArray(value) ? Number(key) : key];
        if (
          !Array.isArray(value) &&
          (key === '__proto__' || (key === 'constructor' && hasPrototypeKey(item)))
        ) {
          issues.push({
            field: fieldPath(at),
            message: `refused: "${key === '__proto__' ? '__proto__' : 'constructor.prototype'}" is valid JSON, but as a key it can rewrite the prototype of objects a JavaScript server builds from the body (prototype poisoning), so no request may carry it. Remove the key.`,
          });
        } else children.push({ value: item, path: at });
      }
      // Reversed onto the stack, so issues come out in the body's order.
      stack.push(...children.reverse());
    }
  }
  return issues;
}

function hasPrototypeKey(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype');
}
