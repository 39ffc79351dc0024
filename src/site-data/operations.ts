import { type DecisionRecord, readDecisionRecords } from '../../operations/decision-record.ts';
import { type DeploymentLog, readDeploymentLog } from '../../operations/deployment-record.ts';
import { type MonitoringRecord, readMonitoringRecords } from '../../operations/monitoring-record.ts';
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
