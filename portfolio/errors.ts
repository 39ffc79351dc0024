/**
 * Every error a user can cause carries a stable code, says where (file, field, URL, row) and what
 * to do, and decides the process exit status. Unexpected errors are bugs and exit with 1.
 */

/** Exit statuses of the `mlfolio` command. Documented in the README and in `mlfolio --help`. */
export const ExitCode = {
  ok: 0,
  internal: 1,
  usage: 2,
  invalidInput: 3,
  unavailable: 4,
  checkFailed: 5,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface MlfolioErrorSpec {
  /** Stable, grep-able identifier such as `E_PROJECT_FILE_INVALID`. */
  code: string;
  /** What happened, where, and what was received. */
  message: string;
  /** What to do about it. */
  hint?: string;
  exitCode?: ExitCode;
  /** Whether repeating the same operation later may succeed. */
  retryable?: boolean;
}

export class MlfolioError extends Error {
  override readonly name = 'MlfolioError';
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly retryable: boolean;

  constructor(spec: MlfolioErrorSpec, options?: { cause?: unknown }) {
    super(spec.message, options);
    this.code = spec.code;
    this.hint = spec.hint;
    this.exitCode = spec.exitCode ?? ExitCode.invalidInput;
    this.retryable = spec.retryable ?? false;
  }

  /** The one-paragraph form shown to users. */
  format(): string {
    return `${this.code}: ${this.message}${this.hint ? `\n  → ${this.hint}` : ''}`;
  }
}

export function isMlfolioError(error: unknown): error is MlfolioError {
  return error instanceof MlfolioError;
}
