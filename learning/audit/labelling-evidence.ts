import { join } from 'node:path';
import type { LabelReport } from '../../labelling/label-report.ts';
import { projectLabelLogPath, readLabelSnapshot, resolvedHash } from '../../labelling/project-task.ts';
import { readTextIfExists } from '../../portfolio/files.ts';
import { projectPaths, type Workspace } from '../../portfolio/workspace.ts';

/** One labelling task of a project as the audit sees it: its report and the log's current snapshot. */
export interface LabellingTaskEvidence {
  task: string;
  /** `labels/<task>.report.json`, as `mlfolio label <project> <task> --report` wrote it. */
  reportFile: string;
  report: LabelReport | undefined;
  /** Content hash of the log's current labels (undefined when there is no log). */
  currentSnapshot: string | undefined;
  /** sha256 of the labels resolved from the log now (one per item). */
  currentResolved: string | undefined;
  problem: string | undefined;
}

/** The labelling tasks a project file declares (read from the raw YAML, so a broken file still shows them). */
export async function gatherLabellingEvidence(
  workspace: Workspace,
  slug: string,
  raw: unknown,
  shown: (path: string) => string,
): Promise<LabellingTaskEvidence[]> {
  const tasks = (raw as { labelling?: { tasks?: { name?: unknown }[] } } | null)?.labelling?.tasks;
  if (!Array.isArray(tasks)) return [];
  const out: LabellingTaskEvidence[] = [];
  for (const task of tasks) {
    if (typeof task?.name !== 'string') continue;
    const file = join(projectPaths(workspace, slug).dir, 'labels', `${task.name}.report.json`);
    let report: LabelReport | undefined;
    let problem: string | undefined;
    let currentSnapshot: string | undefined;
    let currentResolved: string | undefined;
    try {
      const text = await readTextIfExists(file);
      if (text !== undefined) report = JSON.parse(text) as LabelReport;
      const log = projectLabelLogPath(workspace, slug, task.name);
      if ((await readTextIfExists(log)) !== undefined) {
        const snapshot = readLabelSnapshot(log);
        currentSnapshot = snapshot.id;
        currentResolved = resolvedHash(snapshot);
      }
    } catch (error) {
      problem = `${shown(file)}: ${(error as Error).message}`;
    }
    out.push({ task: task.name, reportFile: shown(file), report, currentSnapshot, currentResolved, problem });
  }
  return out;
}
