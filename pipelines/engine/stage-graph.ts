import { hashTree, hashValue } from '../../portfolio/hash.ts';
import { type Progress, silentProgress } from '../../portfolio/progress.ts';
import { runStage } from '../stage-cache.ts';

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
  /** Not cached: the stage always runs (cheap stages whose outputs are not JSON). */
  volatile?: boolean;
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

export interface GraphRun {
  outputs: Map<string, unknown>;
  stages: StageRun[];
  /** Hash of every stage key: equal keys mean an identical run. */
  key: string;
}

export class StageGraph {
  readonly #stages: StageSpec[] = [];
  readonly #codeRoot: string;

  constructor(codeRoot: string) {
    this.#codeRoot = codeRoot;
  }

  add<T>(stage: StageSpec<T>): this {
    if (this.#stages.some((s) => s.name === stage.name)) {
      throw new Error(`Expected unique stage names, but "${stage.name}" was added twice.`);
    }
    for (const need of stage.needs ?? []) {
      if (!this.#stages.some((s) => s.name === need)) {
        throw new Error(`Stage "${stage.name}" needs "${need}", which is not added before it.`);
      }
    }
    this.#stages.push(stage as StageSpec);
    return this;
  }

  /** The declared graph, for drawing: each stage with the stages it reads. */
  describe(): { name: string; needs: string[]; describe?: string }[] {
    return this.#stages.map((s) => ({
      name: s.name,
      needs: [...(s.needs ?? [])],
      ...(s.describe ? { describe: s.describe } : {}),
    }));
  }

  async run(options: { cacheDir: string; force?: boolean; progress?: Progress }): Promise<GraphRun> {
    const progress = options.progress ?? silentProgress;
    const outputs = new Map<string, unknown>();
    const keys = new Map<string, string>();
    const stages: StageRun[] = [];
    const codeHashes = new Map<string, string>();
    const codeHash = async (dirs: readonly string[]) => {
      const id = dirs.join('|');
      if (!codeHashes.has(id)) codeHashes.set(id, await hashTree(this.#codeRoot, [...dirs]));
      return codeHashes.get(id)!;
    };
    for (const stage of this.#stages) {
      const needs = stage.needs ?? [];
      const inputs = Object.fromEntries(needs.map((need) => [need, outputs.get(need)]));
      const keyInputs = {
        needs: needs.map((need) => keys.get(need)),
        params: stage.params ?? null,
        code: stage.code ? await codeHash(stage.code) : null,
      };
      const result = stage.volatile
        ? await (async () => {
            const t0 = performance.now();
            const output = await stage.run(inputs);
            return {
              output,
              key: hashValue({ stage: stage.name, inputs: keyInputs }),
              cached: false,
              durationMs: performance.now() - t0,
            };
          })()
        : await runStage({
            cacheDir: options.cacheDir,
            name: stage.name.replace(/[^a-z0-9-]+/gi, '-'),
            inputs: keyInputs,
            force: options.force ?? false,
            run: () => stage.run(inputs),
          });
      outputs.set(stage.name, result.output);
      keys.set(stage.name, result.key);
      stages.push({
        name: stage.name,
        needs: [...needs],
        key: result.key,
        cached: result.cached,
        durationMs: Math.round(result.durationMs * 10) / 10,
        ...(stage.describe ? { describe: stage.describe } : {}),
      });
      progress.stage(
        stage.name,
        result.cached ? 'unchanged, reused' : `done in ${Math.round(result.durationMs)} ms`,
      );
    }
    return { outputs, stages, key: hashValue(stages.map((s) => s.key)) };
  }
}
