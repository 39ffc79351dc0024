import { type DecisionRecord, readDecisionRecords } from '../../operations/decision-record.ts';
import { type DeploymentLog, readDeploymentLog } from '../../operations/deployment-record.ts';
import { type MonitoringRecord, readMonitoringRecords } from '../../operations/monitoring-record.ts';
import type { Estimate } from '../../pipelines/runs/run-record.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { readServingBenchmark, type ServingBenchmark } from '../../serving/benchmark-record.ts';

export interface ProjectOperations {
  monitoring: MonitoringRecord[];
  decisions: DecisionRecord[];
  deployments: DeploymentLog['deployments'];
  benchmark: ServingBenchmark | undefined;
}

/** A project's serving, monitoring and retraining records, validated; empty when none were made. */
export async function projectOperations(slug: string): Promise<ProjectOperations> {
  const workspace = workspaceAt();
  const [monitoring, decisions, log, benchmark] = await Promise.all([
    readMonitoringRecords(workspace, slug),
    readDecisionRecords(workspace, slug),
    readDeploymentLog(workspace, slug),
    readServingBenchmark(workspace, slug),
  ]);
  return { monitoring, decisions, deployments: log.deployments, benchmark };
}

/** What a project's events are called on its operations section: v1 records are about matches. */
export function eventsNoun(record: { schemaVersion: number }): string {
  return record.schemaVersion === 2 ? 'events' : 'matches';
}

/** One metric of a monitoring check: at evaluation, on the new events, and the change. */
export interface MonitoredScore {
  metric: string;
  primary: boolean;
  evaluation: Estimate | undefined;
  current: Estimate;
  difference: Estimate;
  verdict: 'better' | 'worse' | 'indistinguishable';
}

/**
 * Every metric the check scored, the primary first, in the record's own metrics (so a regression
 * model shows CRPS, MAE and interval coverage, a classifier log loss and Brier score).
 */
export function monitoredScores(record: MonitoringRecord): MonitoredScore[] {
  const performance = record.performance;
  if (!performance) return [];
  const metrics = Object.keys(performance.current);
  const ordered = [
    performance.primaryMetric,
    ...metrics.filter((metric) => metric !== performance.primaryMetric),
  ];
  return ordered.flatMap((metric) => {
    const current = performance.current[metric];
    const change = performance.change[metric];
    if (!current || !change) return [];
    return [
      {
        metric,
        primary: metric === performance.primaryMetric,
        evaluation: performance.evaluation.metrics[metric],
        current,
        difference: change.difference,
        verdict: change.verdict,
      },
    ];
  });
}
