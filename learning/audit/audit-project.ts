import { listProjects } from '../../portfolio/project-folders.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { type Check, type CheckResult, describe } from './check.ts';
import { checkIds } from './check-catalogue.ts';
import { featuresPointInTime, labelsAccounted, provenanceLicence } from './checks/data-checks.ts';
import {
  backtestRun,
  calibrationChecked,
  intervalsReported,
  leakageSafeSplit,
  slicesExamined,
} from './checks/evaluation-checks.ts';
import { experimentAnalysed } from './checks/experiment-checks.ts';
import { labelEffectMeasured, labelErrorAudit, labellingAgreement } from './checks/labelling-checks.ts';
import {
  baselineCompared,
  comparisonTested,
  explanationPresent,
  tradeOffsMeasured,
} from './checks/modelling-checks.ts';
import { inferencePath, modelMonitored, reproducibleRun } from './checks/operations-checks.ts';
import { impactQuantified, walkthroughReady, writeupComplete } from './checks/story-checks.ts';
import { gatherEvidence, type ProjectEvidence } from './project-evidence.ts';

const checks: readonly Check[] = [
  baselineCompared,
  comparisonTested,
  leakageSafeSplit,
  intervalsReported,
  calibrationChecked,
  backtestRun,
  slicesExamined,
  impactQuantified,
  tradeOffsMeasured,
  explanationPresent,
  featuresPointInTime,
  labelsAccounted,
  labellingAgreement,
  labelErrorAudit,
  labelEffectMeasured,
  provenanceLicence,
  reproducibleRun,
  inferencePath,
  modelMonitored,
  experimentAnalysed,
  writeupComplete,
  walkthroughReady,
].sort((a, b) => checkIds.indexOf(a.id) - checkIds.indexOf(b.id));

/** One project's audit: every check in catalogue order. */
export interface ProjectAudit {
  project: string;
  /** The project's title, when its file loads. */
  title: string | undefined;
  /** The task the project file declares, such as "match-outcome" or "stats-table". */
  task: string | undefined;
  /** The tags the project file declares (its sport among them), read even from a draft. */
  tags: string[];
  /** Why the pipeline cannot run the project yet, when it is a draft. */
  draft: string | undefined;
  runId: string | undefined;
  checks: CheckResult[];
  passed: number;
  failed: number;
  /** Share of checks passed, 0–100, rounded. */
  score: number;
}

export function auditEvidence(evidence: ProjectEvidence): ProjectAudit {
  const results = checks.map((check) => ({ ...describe(check.id), ...check.run(evidence) }));
  const passed = results.filter((result) => result.verdict === 'pass').length;
  return {
    project: evidence.slug,
    title: evidence.spec?.title,
    task: evidence.task,
    tags: evidence.tags,
    draft: evidence.draft,
    runId: evidence.run?.runId,
    checks: results,
    passed,
    failed: results.length - passed,
    score: Math.round((100 * passed) / results.length),
  };
}

/**
 * Audits one project from its files alone: the CLI, the plan and the site call this same function,
 * so a project gets one verdict wherever it is shown.
 */
export async function auditProject(workspace: Workspace, slug: string): Promise<ProjectAudit> {
  return auditEvidence(await gatherEvidence(workspace, slug));
}

export async function auditPortfolio(workspace: Workspace): Promise<ProjectAudit[]> {
  const audits: ProjectAudit[] = [];
  for (const slug of await listProjects(workspace)) audits.push(await auditProject(workspace, slug));
  return audits;
}
