import { z } from 'zod';
import { estimateSchema } from '../pipelines/runs/run-record.ts';
import { taskKinds } from '../pipelines/tasks/task.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { modelRefSchema } from './deployment-record.ts';
import { operationsPaths } from './operations-paths.ts';
import { readJsonRecords } from './record-files.ts';

const scoredModelSchema = modelRefSchema.extend({
  label: z.string(),
  /** Primary metric on the held-out period, with its 95% bootstrap interval. */
  score: estimateSchema,
});

/**
 * One retrain decision, as `mlfolio retrain` records it and the site renders it: both models'
 * scores on the same held-out period, the paired-bootstrap interval of their difference, and the
 * verdict with its reason.
 */
export const decisionRecordSchema = z.strictObject({
  /** 1: the retired version 1 pipeline's models; 2: a declared project's task models. */
  schemaVersion: z.union([z.literal(1), z.literal(2)]),
  /** Version 2: the task both models forecast. */
  task: z.strictObject({ kind: z.enum(taskKinds), target: z.string() }).optional(),
  id: z.string(),
  project: z.string(),
  decidedAt: z.string(),
  dataUntil: z.string().optional(),
  metric: z.string(),
  higherIsBetter: z.boolean(),
  /** The challenger run's test period: neither model trained on it. */
  heldOut: z.strictObject({
    seasons: z.array(z.string()),
    from: z.string(),
    to: z.string(),
    rows: z.number().int(),
  }),
  champion: scoredModelSchema,
  challenger: scoredModelSchema,
  /** challenger − champion on the primary metric, paired over the held-out matches. */
  difference: estimateSchema,
  /** Improvement the challenger must show beyond zero, in metric units. */
  margin: z.number().nonnegative(),
  bootstrap: z.strictObject({ resamples: z.number().int(), seed: z.number().int(), level: z.number() }),
  verdict: z.enum(['promote', 'keep']),
  reason: z.string(),
  /** The model deployed after the decision. */
  deployed: modelRefSchema,
});
export type DecisionRecord = z.output<typeof decisionRecordSchema>;

/** Every retrain decision of a project, oldest first. */
export function readDecisionRecords(workspace: Workspace, slug: string): Promise<DecisionRecord[]> {
  return readJsonRecords(
    decisionRecordSchema,
    operationsPaths(workspace, slug).decisionsDir,
    'E_DECISION_CORRUPT',
  );
}
