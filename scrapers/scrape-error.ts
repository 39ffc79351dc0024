import { ExitCode, MlfolioError } from '../portfolio/errors.ts';

/**
 * What a caller should do after a scrape failed. The crawl loop, the CLI's exit status and the
 * end-of-run summary are all decided by this, never by parsing messages.
 * - `retry-later`: the source is temporarily unavailable (5xx, 429, timeout); rerun later.
 * - `blocked`: the host refused us (401/403, bot challenge); do not send it more requests.
 * - `disallowed`: robots.txt forbids the URL; we never asked.
 * - `rejected`: the response broke a limit (too large, redirect loop) or the URL is wrong (404).
 * - `offline-miss`: `--offline` was asked for and the snapshot store has no copy.
 * - `layout-changed`: the page no longer has the table or columns the scraper expects.
 * - `no-data`: the page says there is nothing to collect (a cancelled match, an empty season).
 */
export type ScrapeErrorKind =
  | 'retry-later'
  | 'blocked'
  | 'disallowed'
  | 'rejected'
  | 'offline-miss'
  | 'layout-changed'
  | 'no-data';

export interface ScrapeErrorSpec {
  code: string;
  message: string;
  hint?: string;
  method?: string;
  url?: string;
  status?: number;
  /** For `retry-later`: the earliest time worth trying again, if the server said so. */
  retryAt?: Date;
}

/** A scrape failure that knows what should happen next (see {@link ScrapeErrorKind}). */
export class ScrapeError extends MlfolioError {
  readonly kind: ScrapeErrorKind;
  readonly method: string | undefined;
  /** The URL with any user name and password removed. */
  readonly url: string | undefined;
  readonly status: number | undefined;
  readonly retryAt: Date | undefined;

  constructor(kind: ScrapeErrorKind, spec: ScrapeErrorSpec, options?: { cause?: unknown }) {
    const retryable = kind === 'retry-later';
    const where = spec.url ? `${spec.method ?? 'GET'} ${redactUrl(spec.url)}` : undefined;
    super(
      {
        code: spec.code,
        message: where && !spec.message.includes(where) ? `${where}: ${spec.message}` : spec.message,
        ...(spec.hint ? { hint: spec.hint } : {}),
        exitCode: exitCodeOf(kind),
        retryable,
      },
      options,
    );
    this.kind = kind;
    this.method = spec.url ? (spec.method ?? 'GET') : spec.method;
    this.url = spec.url ? redactUrl(spec.url) : undefined;
    this.status = spec.status;
    this.retryAt = spec.retryAt;
  }
}

function exitCodeOf(kind: ScrapeErrorKind): ExitCode {
  switch (kind) {
    case 'retry-later':
    case 'blocked':
      return ExitCode.unavailable;
    default:
      return ExitCode.invalidInput;
  }
}

export function isScrapeError(error: unknown): error is ScrapeError {
  return error instanceof ScrapeError;
}

/** `url` without user name and password, so errors and logs never leak credentials. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/[^/@]*@/, '//');
  }
}
