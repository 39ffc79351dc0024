import { type ExitCode, MlfolioError } from './errors.ts';

/** An error as data that crosses a thread: a MlfolioError keeps its code, hint and exit code. */
export interface ThreadError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  hint?: string;
  exitCode?: number;
  retryable?: boolean;
}

/** What a worker thread sends back when the job it ran threw `caught`. */
export function threadErrorOf(caught: unknown): ThreadError {
  const error = (caught instanceof Error ? caught : new Error(String(caught))) as Error & {
    code?: unknown;
    hint?: unknown;
    exitCode?: unknown;
    retryable?: unknown;
  };
  return {
    name: error.name,
    message: error.message,
    ...(error.stack ? { stack: error.stack } : {}),
    ...(typeof error.code === 'string' ? { code: error.code } : {}),
    ...(typeof error.hint === 'string' ? { hint: error.hint } : {}),
    ...(typeof error.exitCode === 'number' ? { exitCode: error.exitCode } : {}),
    ...(typeof error.retryable === 'boolean' ? { retryable: error.retryable } : {}),
  };
}

/** The error `threadErrorOf` described, rebuilt on the calling thread (a MlfolioError as one). */
export function reviveThreadError(error: ThreadError): Error {
  const revived =
    error.name === 'MlfolioError' && error.code
      ? new MlfolioError({
          code: error.code,
          message: error.message,
          ...(error.hint === undefined ? {} : { hint: error.hint }),
          ...(error.exitCode === undefined ? {} : { exitCode: error.exitCode as ExitCode }),
          ...(error.retryable === undefined ? {} : { retryable: error.retryable }),
        })
      : Object.assign(new Error(error.message), { name: error.name });
  if (error.stack) revived.stack = error.stack;
  return revived;
}
