import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../pipelines/runs/run-record.ts';
import type { Task } from '../pipelines/tasks/task.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';

/** One held-out event of a run: what a replay sends and what its outcome join reads. */
export interface RunEvent {
  /** The event's id in the project's data: the experiment's unit. */
  id: string;
  /** When it happened (the exposure time of a replay). */
  time: string;
  season: string;
  /** Its features as the feature store computed them, point in time (before the event). */
  features: Record<string, number>;
  /** The observed outcome: a class label for classification, the value otherwise. */
  outcome: string | number;
}

export interface RunEvents {
  task: Task;
  featureNames: string[];
  /** The run's test period (or every event with a target), in time order. */
  events: RunEvent[];
  /** The seasons the events cover. */
  seasons: string[];
}

interface CachedRows {
  task: Task;
  featureNames: string[];
  ids: string[];
  times: string[];
  seasons: string[];
  outcomes: number[];
  x: number[][];
}

/**
 * The events of a run's test period (`test`: none of its models trained on them), or every event
 * with a target (`all`), read from the exact feature and split stage outputs the run recorded
 * (the stage cache, by key). Throws `E_RUN_DATA_MISSING` when the cache no longer holds them
 * (another clone, a cleaned cache): the run must be reproduced first.
 */
export async function readRunEvents(
  workspace: Workspace,
  slug: string,
  run: RunRecord,
  period: 'test' | 'all',
): Promise<RunEvents> {
  const rows = await readStage<CachedRows>(workspace, slug, run, 'features');
  const indices =
    period === 'test'
      ? (await readStage<{ test: number[] }>(workspace, slug, run, 'split')).test
      : rows.ids.map((_, i) => i);
  const classes = 'classes' in rows.task ? rows.task.classes : undefined;
  const events = indices.map((i) => {
    const y = rows.outcomes[i]!;
    return {
      id: rows.ids[i]!,
      time: rows.times[i]!,
      season: rows.seasons[i]!,
      features: Object.fromEntries(rows.featureNames.map((name, j) => [name, rows.x[i]![j]!])),
      outcome: classes ? classes[y]! : y,
    };
  });
  events.sort((a, b) => a.time.localeCompare(b.time));
  return {
    task: rows.task,
    featureNames: rows.featureNames,
    events,
    seasons: [...new Set(events.map((event) => event.season))],
  };
}

async function readStage<T>(workspace: Workspace, slug: string, run: RunRecord, name: string): Promise<T> {
  const stage = run.stages.find((s) => s.name === name);
  const file = stage
    ? join(projectPaths(workspace, slug).cacheDir, `${name}-${stage.key.slice(0, 16)}.json`)
    : undefined;
  try {
    if (!file) throw new Error(`run ${run.runId} records no "${name}" stage`);
    const stored = JSON.parse(await readFile(file, 'utf8')) as { key: string; output: T };
    if (stored.key !== stage!.key) throw new Error(`${file} holds another key`);
    return stored.output;
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_RUN_DATA_MISSING',
        message: `The "${name}" stage output of run ${run.runId} (project "${slug}") is not in the stage cache${file ? ` (${file})` : ''}: ${(error as Error).message}.`,
        hint: `Run \`mlfolio run ${slug}\` to reproduce the run's data on this machine, then try again.`,
      },
      { cause: error },
    );
  }
}
