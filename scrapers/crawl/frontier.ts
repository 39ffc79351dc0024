import { type FileHandle, mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import type { ScrapeErrorKind } from '../scrape-error.ts';

/** How a URL's turn ended. `failed` URLs of a retryable kind are queued again by the next run. */
export type FrontierOutcome =
  | { status: 'stored'; from: 'network' | 'store' | 'revalidated' }
  | { status: 'failed'; kind: ScrapeErrorKind; code: string; message: string };

const lineSchema = z.union([
  z.strictObject({ seeds: z.array(z.string()) }),
  z.strictObject({ add: z.string(), depth: z.number().int().nonnegative() }),
  z.strictObject({
    done: z.string(),
    status: z.enum(['stored', 'failed']),
    from: z.enum(['network', 'store', 'revalidated']).optional(),
    kind: z.string().optional(),
    code: z.string().optional(),
    message: z.string().optional(),
  }),
]);

/** Kinds worth another try on the next run; the rest (404, robots, layout) wait for a human. */
const requeued: ReadonlySet<string> = new Set(['retry-later', 'blocked', 'offline-miss']);

export interface FrontierEntry {
  url: string;
  depth: number;
  outcome: FrontierOutcome | undefined;
}

/**
 * The set of URLs a crawl has seen, in the order it saw them, persisted as an append-only journal
 * (`frontier.jsonl`): one line per URL added and one per URL finished. Appends are single
 * `write` calls of one short line, so a process killed at any moment (even `kill -9`) leaves at
 * worst a torn last line, which loading ignores. Reopening the journal restores the queue: URLs
 * added but not finished, plus failures worth retrying.
 */
export class Frontier {
  readonly file: string;
  readonly #entries = new Map<string, FrontierEntry>();
  readonly #queue: string[] = [];
  readonly #queuedByHost = new Map<string, number>();
  #handle: FileHandle | undefined;
  /** True when an earlier journal for different seeds was discarded on opening. */
  restarted = false;
  // Appends are chained so lines never interleave, whatever the caller's concurrency.
  #writes: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.file = file;
  }

  /**
   * Opens the journal at `file` for a crawl from `seeds`. A journal written for other seeds (the
   * source's URLs were edited) is discarded, so pages no longer asked for never reach a dataset;
   * their stored copies stay in the snapshot store and cost nothing if asked for again.
   */
  static async open(file: string, seeds: readonly string[] = []): Promise<Frontier> {
    const frontier = new Frontier(file);
    await mkdir(dirname(file), { recursive: true });
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (seedsKey(text.split('\n', 1)[0] ?? '') !== seedsKey(JSON.stringify({ seeds }))) {
      frontier.restarted = text !== '';
      text = '';
      await writeFile(file, `${JSON.stringify({ seeds })}\n`);
    }
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      let parsed: z.output<typeof lineSchema>;
      try {
        parsed = lineSchema.parse(JSON.parse(line));
      } catch {
        // A torn line from a killed process: the event it recorded did not complete.
        continue;
      }
      if ('seeds' in parsed) continue;
      if ('add' in parsed) {
        if (!frontier.#entries.has(parsed.add)) {
          frontier.#entries.set(parsed.add, { url: parsed.add, depth: parsed.depth, outcome: undefined });
        }
      } else {
        const entry = frontier.#entries.get(parsed.done);
        if (!entry) continue;
        entry.outcome =
          parsed.status === 'stored'
            ? { status: 'stored', from: parsed.from ?? 'network' }
            : {
                status: 'failed',
                kind: (parsed.kind ?? 'retry-later') as ScrapeErrorKind,
                code: parsed.code ?? '',
                message: parsed.message ?? '',
              };
      }
    }
    for (const entry of frontier.#entries.values()) {
      if (!entry.outcome || (entry.outcome.status === 'failed' && requeued.has(entry.outcome.kind))) {
        entry.outcome = undefined;
        frontier.#enqueue(entry.url);
      }
    }
    // One open descriptor in append mode: each line is a single write(2), which reaches the
    // kernel before the call returns and so survives the process being killed.
    frontier.#handle = await open(file, 'a');
    return frontier;
  }

  /** Waits for pending journal lines and closes the journal. */
  async close(): Promise<void> {
    await this.#writes;
    await this.#handle?.close();
    this.#handle = undefined;
  }

  #append(line: object): Promise<void> {
    const handle = this.#handle;
    if (!handle) return Promise.reject(new Error(`the frontier journal ${this.file} is closed`));
    this.#writes = this.#writes.then(() => handle.write(`${JSON.stringify(line)}\n`)).then(() => undefined);
    return this.#writes;
  }

  /** Adds `url` unless it was ever seen. Returns whether it was new. */
  async add(url: string, depth = 0): Promise<boolean> {
    if (this.#entries.has(url)) return false;
    this.#entries.set(url, { url, depth, outcome: undefined });
    this.#enqueue(url);
    await this.#append({ add: url, depth });
    return true;
  }

  /** The next URL to fetch, or undefined when the queue is empty. */
  next(): FrontierEntry | undefined {
    const url = this.#queue.shift();
    if (url === undefined) return undefined;
    const host = hostOf(url);
    this.#queuedByHost.set(host, (this.#queuedByHost.get(host) ?? 1) - 1);
    return this.#entries.get(url);
  }

  /** How many URLs are queued for each host (`host:port`). */
  queuedByHost(): ReadonlyMap<string, number> {
    return this.#queuedByHost;
  }

  #enqueue(url: string): void {
    this.#queue.push(url);
    const host = hostOf(url);
    this.#queuedByHost.set(host, (this.#queuedByHost.get(host) ?? 0) + 1);
  }

  async finish(url: string, outcome: FrontierOutcome): Promise<void> {
    const entry = this.#entries.get(url);
    if (entry) entry.outcome = outcome;
    await this.#append({ done: url, ...outcome });
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Every URL seen, in the order it was first added. */
  entries(): FrontierEntry[] {
    return [...this.#entries.values()];
  }

  queuedUrls(): readonly string[] {
    return this.#queue;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** The seeds a journal's first line names, order-insensitively; undefined for anything else. */
function seedsKey(line: string): string | undefined {
  try {
    const parsed = lineSchema.parse(JSON.parse(line));
    return 'seeds' in parsed ? JSON.stringify([...parsed.seeds].sort()) : undefined;
  } catch {
    return undefined;
  }
}
