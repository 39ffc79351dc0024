import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { ExitCode, MlfolioError } from '../portfolio/errors.ts';
import { didYouMean } from '../portfolio/suggest.ts';

/** Pino's levels, most to least severe; `silent` logs nothing. */
export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof logLevels)[number];

export interface RequestLogOptions {
  /** Append JSON lines to this file instead of stderr. */
  file?: string | undefined;
  /** Default `info` (a line per request) with a file, `warn` (problems only) on stderr. */
  level?: string | undefined;
  /** No log at all; cannot be combined with `file` or `level`. */
  quiet?: boolean | undefined;
}

/** Where the server's JSON log goes. stdout is never used: it carries only the "Listening on" line. */
export interface RequestLog {
  /** Fastify's `logger` option: a pino level and a stream, or false for no log. */
  logger: false | { level: LogLevel; stream: Writable };
  /** A sentence for the banner saying where the log goes and how to change it; empty when quiet. */
  description: string;
  /** Flushes and closes a log file (stderr stays open). */
  close(): Promise<void>;
}

/** Opens the request log `mlfolio serve` was asked for; an unknown level or an unwritable file is a usage error. */
export async function openRequestLog(options: RequestLogOptions): Promise<RequestLog> {
  if (options.quiet) {
    if (options.file !== undefined || options.level !== undefined) {
      throw new MlfolioError({
        code: 'E_OPTION_CONFLICT',
        message: '--quiet turns the log off, so it cannot be combined with --log-file or --log-level.',
        hint: 'Drop --quiet, or the log options.',
        exitCode: ExitCode.usage,
      });
    }
    return { logger: false, description: '', close: async () => {} };
  }
  const level = checkLevel(options.level ?? (options.file === undefined ? 'warn' : 'info'));
  if (level === 'silent') return { logger: false, description: '', close: async () => {} };
  if (options.file === undefined) {
    return {
      logger: { level, stream: process.stderr },
      description:
        level === 'warn'
          ? 'Log: warnings and errors only, as JSON lines on stderr (--log-level info logs every request; --log-file FILE writes the log to a file).'
          : `Log: JSON lines at level ${level} on stderr (--log-file FILE writes them to a file instead).`,
      close: async () => {},
    };
  }
  const file = resolve(options.file);
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'a');
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_LOG_FILE_UNWRITABLE',
        message: `--log-file ${options.file}: cannot open ${file} for appending (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}).`,
        hint: 'Give a file in a folder that exists and that you may write to.',
        exitCode: ExitCode.usage,
      },
      { cause: error },
    );
  }
  const stream = createWriteStream(file, { fd: handle, flags: 'a' });
  return {
    logger: { level, stream },
    description: `Log: JSON lines at level ${level}${level === 'info' ? ' (one per request)' : ''}, appended to ${file}.`,
    close: () =>
      new Promise<void>((done, fail) => {
        stream.once('error', fail);
        stream.end(done);
      }),
  };
}

function checkLevel(level: string): LogLevel {
  if ((logLevels as readonly string[]).includes(level)) return level as LogLevel;
  throw new MlfolioError({
    code: 'E_OPTION_INVALID',
    message: `--log-level must be one of ${logLevels.join(', ')}; received "${level}".`,
    hint: didYouMean(level, logLevels),
    exitCode: ExitCode.usage,
  });
}
