import { z } from 'zod';
import { estimateSchema } from '../pipelines/runs/run-record.ts';
import { taskKinds } from '../pipelines/tasks/task.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { modelRefSchema } from './deployment-record.ts';
import { operationsPaths } from './operations-paths.ts';
import { readJsonRecords } from './record-files.ts';

const periodSchema = z.strictObject({
  seasons: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  rows: z.number().int(),
});

/**
 * One check of the deployed model against newly arrived data, as `mlfolio monitor` records it and
 * the site's model-health section renders it. Field meanings are stable; new optional fields may
 * be added.
 */
export const monitoringRecordSchema = z.strictObject({
  /** 1: the retired version 1 pipeline's model; 2: a declared project's task model. */
  schemaVersion: z.union([z.literal(1), z.literal(2)]),
  id: z.string(),
  project: z.string(),
  checkedAt: z.string(),
  /** Set when the check replayed the data as it stood on this date. */
  dataUntil: z.string().optional(),
  deployed: modelRefSchema.extend({ label: z.string(), promotedBy: z.string() }),
  /** Version 2: the task the deployed model forecasts (what decides its metrics). */
  task: z.strictObject({ kind: z.enum(taskKinds), target: z.string() }).optional(),
  /** Version 2: the thresholds the verdict was taken under (declared in the project file, or defaults). */
  thresholds: z
    .strictObject({ psiModerate: z.number(), psiMajor: z.number(), staleShare: z.number() })
    .optional(),
  /** Overall verdict: the worst finding. */
  status: z.enum(['healthy', 'watch', 'drifting', 'degraded', 'no-new-data']),
  findings: z.array(z.string()),
  /** The deployed model's training data: what drift is measured against. */
  reference: periodSchema,
  /** Events that resolved (got a known outcome) after the deployed model's data ended. */
  current: periodSchema.optional(),
  drift: z
    .strictObject({
      statistics: z.array(z.string()),
      features: z.array(
        z.strictObject({
          feature: z.string(),
          psi: z.number(),
          ks: z.number(),
          ksPValue: z.number(),
          referenceMean: z.number(),
          currentMean: z.number(),
          level: z.enum(['stable', 'moderate', 'major']),
        }),
      ),
    })
    .optional(),
  /**
   * Version 2: the new events as the deployed server would serve them from its run's online store:
   * how many read a feature past its view's TTL (stale) or an entity the store has never seen.
   */
  staleness: z
    .strictObject({
      events: z.number().int(),
      staleEvents: z.number().int(),
      /** staleEvents / events. */
      share: z.number(),
      unknownEntityEvents: z.number().int(),
      /** Per feature the model reads (or a formula it reads reads): share of events where it was stale. */
      features: z.array(z.strictObject({ feature: z.string(), share: z.number() })),
    })
    .optional(),
  performance: z
    .strictObject({
      primaryMetric: z.string(),
      higherIsBetter: z.boolean(),
      /** The deployed model's scores on its own test period, as recorded at evaluation time. */
      evaluation: z.strictObject({ period: periodSchema, metrics: z.record(z.string(), estimateSchema) }),
      /** The same scores on the newly resolved events, with 95% bootstrap intervals. */
      current: z.record(z.string(), estimateSchema),
      /** current − evaluation per metric; the interval comes from resampling both periods independently. */
      change: z.record(
        z.string(),
        z.strictObject({
          difference: estimateSchema,
          verdict: z.enum(['better', 'worse', 'indistinguishable']),
        }),
      ),
      /**
       * The primary metric month by month over the current period (the chart over time). `month` is
       * the window's last month: a month with fewer than 50 events joins the next. With
       * `windowUnit: season`, one window per season and `month` holds the season's label.
       */
      /** Version 2: `season` when the events are timed by season (one window per season). */
      windowUnit: z.enum(['month', 'season']).optional(),
      windows: z.array(
        z.strictObject({
          month: z.string(),
          rows: z.number().int(),
          value: estimateSchema,
          meanPsi: z.number(),
        }),
      ),
    })
    .optional(),
});
export type MonitoringRecord = z.output<typeof monitoringRecordSchema>;

/** Every monitoring record of a project, oldest first. */
export function readMonitoringRecords(workspace: Workspace, slug: string): Promise<MonitoringRecord[]> {
  return readJsonRecords(
    monitoringRecordSchema,
    operationsPaths(workspace, slug).monitoringDir,
    'E_MONITORING_CORRUPT',
  );
}
