import { closeSync, fstatSync, fsyncSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MlfolioError } from '../portfolio/errors.ts';

/** One unit scored by one arm: what was served (or shadow-scored), when, by which model version. */
export interface Exposure {
  experiment: string;
  unit: string;
  arm: string;
  /** `served`: this arm's answer was sent. `shadow`: scored and logged only (shadow mode). */
  role: 'served' | 'shadow';
  /** ISO time the prediction was made. */
  at: string;
  /** The arm's model version (run and model id), so the analysis knows exactly what was served. */
  modelVersion: string;
  /** As-of time of the features the prediction used (point-in-time), when the predictor reports it. */
  featuresAsOf?: string;
  /** The prediction, as served; absent when the arm failed. */
  prediction?: unknown;
  /** Pre-assignment covariates read with the features (e.g. a baseline score), for CUPED. */
  covariates?: Record<string, number>;
  /** Time the arm took to predict, in milliseconds. */
  latencyMs: number;
  /** The arm's error message, when it failed to predict. */
  error?: string;
}

/**
 * An append-only JSON-lines log of exposures. `append` returns only once the bytes are in the
 * file (a synchronous write to the kernel), so a process killed with SIGKILL right after loses no
 * exposure it went on to answer; with `fsync: true` they also survive a power loss, at a cost.
 */
export class ExposureLog {
  readonly path: string;
  readonly #fd: number;
  readonly #fsync: boolean;
  #closed = false;

  private constructor(path: string, fd: number, fsync: boolean) {
    this.path = path;
    this.#fd = fd;
    this.#fsync = fsync;
  }

  /** Opens (creating) the log at `path`; a torn last line from a crash is closed off first. */
  static open(path: string, options: { fsync?: boolean } = {}): ExposureLog {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(path, 'a+');
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      // Without this newline the next record would be glued to the torn fragment and lost with it.
      if (last[0] !== 0x0a) writeSync(fd, '\n');
    }
    return new ExposureLog(path, fd, options.fsync ?? false);
  }

  /** Appends `exposures` in one write (one request's records land together or, if torn, last). */
  append(exposures: readonly Exposure[]): void {
    if (this.#closed) throw new Error(`ExposureLog ${this.path} is closed`);
    if (exposures.length === 0) return;
    const text = exposures.map((exposure) => `${JSON.stringify(exposure)}\n`).join('');
    const bytes = Buffer.from(text);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.#fd, bytes, written);
    if (this.#fsync) fsyncSync(this.#fd);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    closeSync(this.#fd);
  }
}

export interface ExposureLogContents {
  exposures: Exposure[];
  /** Whether the last line was cut short (a crash mid-write) and skipped. */
  tornLastLine: boolean;
}

/**
 * Reads an exposure log. A last line cut short by a crash is skipped and reported; an unreadable
 * line elsewhere is corruption and throws `E_EXPOSURE_LOG_CORRUPT` with its line number. A missing
 * file throws `E_EXPOSURE_LOG_MISSING`.
 */
export async function readExposureLog(path: string): Promise<ExposureLogContents> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new MlfolioError(
      {
        code: 'E_EXPOSURE_LOG_MISSING',
        message: `No exposure log at ${path}.`,
        hint: 'Serve the experiment first; the server appends an exposure for every unit it answers.',
      },
      { cause: error },
    );
  }
  const lines = text.split('\n');
  const endsCleanly = lines.at(-1) === '';
  if (endsCleanly) lines.pop();
  const exposures: Exposure[] = [];
  let tornLastLine = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const isLast = i === lines.length - 1;
    const parsed = parseLine(line);
    if (parsed === undefined) {
      // A crash mid-write leaves a fragment with no newline (at the end, or closed off by a reopen).
      if (isLast && !endsCleanly) {
        tornLastLine = true;
        continue;
      }
      if (!isLast && isTornFragment(line)) continue;
      throw new MlfolioError({
        code: 'E_EXPOSURE_LOG_CORRUPT',
        message: `${path}:${i + 1} is not an exposure record; received ${JSON.stringify(line.slice(0, 120))}.`,
        hint: 'The exposure log is append-only and written by the server alone; restore it from a backup rather than editing it.',
      });
    }
    exposures.push(parsed);
  }
  return { exposures, tornLastLine };
}

function parseLine(line: string): Exposure | undefined {
  try {
    const value = JSON.parse(line) as Partial<Exposure>;
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof value.unit === 'string' &&
      typeof value.arm === 'string' &&
      typeof value.at === 'string' &&
      typeof value.experiment === 'string'
    ) {
      return value as Exposure;
    }
  } catch {
    // Not JSON: the caller decides whether it is a torn fragment.
  }
  return undefined;
}

// A fragment from an earlier crash that a later `ExposureLog.open` closed off with a newline: the
// start of a record that was never completed.
function isTornFragment(line: string): boolean {
  if (!line.startsWith('{"experiment":')) return false;
  try {
    JSON.parse(line);
    return false;
  } catch {
    return true;
  }
}
