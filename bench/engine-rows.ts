import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EngineRows } from '../pipelines/engine/run-engine.ts';
import type { RunRecord } from '../pipelines/runs/run-record.ts';
import type { TimeSplit } from '../pipelines/split/time-split.ts';

/**
 * The rows a recorded engine run trained and tested on, read back from the stage cache: the
 * `features` stage's output (every event's features, outcome, time and season) and the `split`
 * stage's (which of them were trained and tested on), each found by the key the run recorded. So a
 * benchmark compares models on exactly the engine's rows, not on a recomputation of them.
 */
export async function engineRowsOf(
  record: RunRecord,
  cacheDir: string,
): Promise<{ rows: EngineRows; split: TimeSplit }> {
  const output = async <T>(name: string): Promise<T> => {
    const stage = record.stages.find((s) => s.name === name);
    if (!stage) throw new Error(`Expected run ${record.runId} to record a "${name}" stage, but it has none.`);
    // The cache file name as `runStage` writes it: the stage name, then the key's first 16 characters.
    const file = join(cacheDir, `${name}-${stage.key.slice(0, 16)}.json`);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { key: string; output: T };
    if (stored.key !== stage.key) {
      throw new Error(`Expected ${file} to hold stage key ${stage.key}, but it holds ${stored.key}.`);
    }
    return stored.output;
  };
  return { rows: await output<EngineRows>('features'), split: await output<TimeSplit>('split') };
}
