import { hashTree, hashValue } from '../../portfolio/hash.ts';
import { type Progress, silentProgress } from '../../portfolio/progress.ts';
import { runStage, type StageResult } from '../stage-cache.ts';

/**
 * A pipeline as data, after Kedro's nodes and DVC's stages: each stage names the stages whose
 * outputs it reads, its parameters and the code folders it runs, and its key hashes exactly those.
 * The runner orders the stages, reuses any whose key is unchanged, and records what ran, so the
 * walkthrough's architecture diagram is drawn from the graph as the run recorded it.
 */
export interface StageSpec<T = unknown> {
  name: string;
  /** Stages whose outputs this one reads (their keys become part of this stage's key). */
  needs?: readonly string[];
  /** Everything else that can change the output: parameters, seeds, input hashes. */
  params?: unknown;
  /** Code folders or files (relative to the repository root) whose content is hashed into the key. */
  code?: readonly string[];
  /** What the stage reads and writes, in words, for the diagram. */
  describe?: string;
  /**
   * The cache entry's name when it differs from the stage's: stages that train the same model on
   * the same seasons (the final fit and the backtest's last fold) share one entry.
   */
  cacheName?: string;
  run: (inputs: Readonly<Record<string, unknown>>) => Promise<T>;
}

export interface StageRun {
  name: string;
  needs: string[];
  key: string;
  cached: boolean;
  durationMs: number;
  describe?: string;
}

export class StageGraph {
  readonly #codeRoot: string;
  readonly #cacheDir: string;
  readonly #force: boolean;
  readonly #progress: Progress;
  readonly #outputs = new Map<string, unknown>();
  readonly #keys = new Map<string, string>();
  readonly #started = new Set<string>();
  readonly #codeHashes = new Map<string, Promise<string>>();
  readonly #running = new Map<string, Promise<StageResult<unknown>>>();
  readonly stages: StageRun[] = [];

  constructor(options: { codeRoot: string; cacheDir: string; force?: boolean; progress?: Progress }) {
    this.#codeRoot = options.codeRoot;
    this.#cacheDir = options.cacheDir;
    this.#force = options.force ?? false;
    this.#progress = options.progress ?? silentProgress;
  }

  /**
   * Runs one stage now, after the stages it needs (which must have finished), unless its key is
   * unchanged; records it either way, in the order stages start. A caller may leave a stage
   * running while it starts others that do not need it. Stages that depend on the data (one per backtest fold) are
   * added as the data reveals them, so the graph is declared and recorded stage by stage.
   */
  async run<T>(stage: StageSpec<T>): Promise<T> {
    if (this.#started.has(stage.name)) {
      throw new Error(`Expected unique stage names, but "${stage.name}" ran twice.`);
    }
    const needs = stage.needs ?? [];
    for (const need of needs) {
      if (!this.#keys.has(need)) throw new Error(`Stage "${stage.name}" needs "${need}", which has not run.`);
    }
    this.#started.add(stage.name);
    // Recorded in the order stages start: a stage left running while later ones start keeps its
    // place, so the run's key never depends on which stage finished first.
    const entry: StageRun = { name: stage.name, needs: [...needs], key: '', cached: false, durationMs: 0 };
    this.stages.push(entry);
    const inputs = Object.fromEntries(needs.map((need) => [need, this.#outputs.get(need)]));
    const cacheName = (stage.cacheName ?? stage.name).replace(/[^a-z0-9-]+/gi, '-');
    // A stage that shares its cache entry with one still running waits for it and reuses its
    // output, as it would once that one had stored it: the same work is never done twice at once.
    // The entry is told by what its key hashes, with the code named rather than hashed (the code
    // does not change during a run), so it is claimed before the first await: whichever of two
    // such stages starts first computes, whatever the file system's timing.
    const neededKeys = needs.map((need) => this.#keys.get(need));
    const entryId = hashValue({
      stage: cacheName,
      needs: neededKeys,
      params: stage.params ?? null,
      code: stage.code ?? null,
    });
    const running = this.#running.get(entryId) as Promise<StageResult<T>> | undefined;
    const started = performance.now();
    const result = running
      ? { ...(await running), cached: true, durationMs: performance.now() - started }
      : await this.#track(entryId, async () =>
          runStage({
            cacheDir: this.#cacheDir,
            name: cacheName,
            inputs: {
              needs: neededKeys,
              params: stage.params ?? null,
              code: stage.code ? await this.#codeHash(stage.code) : null,
            },
            force: this.#force,
            run: () => stage.run(inputs),
          }),
        );
    this.#outputs.set(stage.name, result.output);
    this.#keys.set(stage.name, result.key);
    Object.assign(entry, {
      key: result.key,
      cached: result.cached,
      durationMs: Math.round(result.durationMs * 10) / 10,
      ...(stage.describe ? { describe: stage.describe } : {}),
    });
    this.#progress.stage(
      stage.name,
      result.cached ? 'unchanged, reused' : `done in ${formatMs(result.durationMs)}`,
    );
    return result.output;
  }

  /** Hash of every stage key: equal keys mean an identical run. */
  key(): string {
    return hashValue(this.stages.map((s) => s.key));
  }

  async #track<T>(entryId: string, compute: () => Promise<StageResult<T>>): Promise<StageResult<T>> {
    const result = compute();
    this.#running.set(entryId, result);
    try {
      return await result;
    } finally {
      this.#running.delete(entryId);
    }
  }

  /** Hashed once per graph: stages started together (every fit of a run) share the one reading. */
  #codeHash(dirs: readonly string[]): Promise<string> {
    const id = dirs.join('|');
    let hash = this.#codeHashes.get(id);
    if (!hash) {
      hash = hashTree(this.#codeRoot, [...dirs]);
      this.#codeHashes.set(id, hash);
    }
    return hash;
  }
}

/** A duration as the progress lines and command summaries print it: "850 ms", "2.4 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
