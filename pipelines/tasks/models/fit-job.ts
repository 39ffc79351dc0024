import type { Task, TrainingSet } from '../task.ts';
import type { TaskArtifact } from './forecast.ts';

/** One model fit as data a worker thread receives: the design matrix flat, in typed arrays. */
export interface FitJob {
  kind: string;
  task: Task;
  featureNames: string[];
  rowCount: number;
  /** Row-major, `featureNames.length` values per row. */
  values: Float64Array<ArrayBuffer>;
  outcomes: Float64Array<ArrayBuffer>;
  params: unknown;
  seed: number;
}

/** A fit's artifact and how long the fit itself took (not the wait for a thread). */
export interface FitResult {
  artifact: TaskArtifact;
  trainMs: number;
}

export function fitJobOf(kind: string, task: Task, data: TrainingSet, params: unknown, seed: number): FitJob {
  const width = data.featureNames.length;
  const values = new Float64Array(data.rows.length * width);
  data.rows.forEach((row, i) => {
    for (let j = 0; j < width; j++) values[i * width + j] = row[j]!;
  });
  return {
    kind,
    task: 'classes' in task ? { kind: task.kind, classes: [...task.classes] } : { kind: task.kind },
    featureNames: [...data.featureNames],
    rowCount: data.rows.length,
    values,
    outcomes: Float64Array.from(data.outcomes),
    params,
    seed,
  };
}

/** The training set a job carries, as the fit functions take it. */
export function trainingSetOf(job: FitJob): TrainingSet {
  const width = job.featureNames.length;
  const rows: number[][] = [];
  // Counted, not derived from the values: a model may read no feature at all.
  for (let i = 0; i < job.rowCount; i++) {
    rows.push(Array.from(job.values.subarray(i * width, (i + 1) * width)));
  }
  return { featureNames: job.featureNames, rows, outcomes: Array.from(job.outcomes) };
}
