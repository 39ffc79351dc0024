import { fieldPath } from '../portfolio/validate.ts';
import { type RequestIssue, RequestValidationError } from './request-issues.ts';

/**
 * Deepest nesting of arrays and objects a request body may have. The API's deepest request is a
 * batch (`{"items": [{"features": {…}}]}`, 4 levels); anything far deeper is refused before it is
 * parsed, so no later step (parsing, validation, formatting an error) can exhaust the stack.
 */
export const maxBodyDepth = 16;

/** Unsafe values listed in one answer, so a body full of them cannot make the answer huge. */
const maxListedIssues = 20;

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
      'The body is empty; send a JSON object, as GET /openapi.json describes.',
    );
  }
  checkDepth(text);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new RequestBodyError('E_INVALID_JSON', invalidJsonMessage(text, error as Error), { cause: error });
  }
  const issues: RequestIssue[] = [];
  unsafeValues(value, ['body'], issues);
  if (issues.length > maxListedIssues) {
    issues.length = maxListedIssues;
    issues.push({
      field: 'body',
      message: `more values like these; only the first ${maxListedIssues} are listed.`,
    });
  }
  if (issues.length) throw new RequestValidationError(issues, 'body');
  return value;
}

/**
 * Counts brackets outside strings: linear, no recursion, stops at the first level too deep. Strings
 * are skipped with indexOf, which is native, so the keys that make up most of a request cost little.
 * Unterminated strings and other syntax errors are left to JSON.parse to report.
 */
function checkDepth(text: string): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = closingQuote(text, i);
      if (end === -1) return;
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
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

/** Index of the quote that ends the string opened at `open`, or -1 when it never ends. */
function closingQuote(text: string, open: number): number {
  let end = text.indexOf('"', open + 1);
  while (end !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(end - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
  return -1;
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
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const end = closingQuote(text, i);
      if (end === -1) return undefined;
      i = end;
    } else if (c === 'N' || c === 'I' || c === '-') {
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

/**
 * Keys that could alter prototypes downstream, and numbers JSON.parse turned into ±Infinity. The
 * recursion is bounded by checkDepth; the path is one array pushed and popped, and a field name is
 * built only for an issue, so a batch of 256 items costs little more than parsing it.
 */
function unsafeValues(value: unknown, path: PropertyKey[], issues: RequestIssue[]): void {
  if (issues.length > maxListedIssues) return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      issues.push({
        field: fieldPath(path),
        message:
          'received a number beyond the range of a double (about ±1.8e308), which would be read as Infinity; send a finite number.',
      });
    }
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      unsafeValues(value[i], path, issues);
      path.pop();
    }
    return;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    path.push(key);
    if (key === '__proto__' || (key === 'constructor' && hasPrototypeKey(record[key]))) {
      issues.push({
        field: fieldPath(path),
        message: `refused: "${key === '__proto__' ? '__proto__' : 'constructor.prototype'}" is valid JSON, but as a key it can rewrite the prototype of objects a JavaScript server builds from the body (prototype poisoning), so no request may carry it. Remove the key.`,
      });
    } else unsafeValues(record[key], path, issues);
    path.pop();
  }
}

function hasPrototypeKey(value: unknown): boolean {
  return typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype');
}
