import { relative } from 'node:path';
import { defineCommand } from 'citty';
import type { MonitoringRecord } from '../../operations/monitoring-record.ts';
import { projectFileVersion } from '../../portfolio/project-file/any-project.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { loadProject } from '../../portfolio/project-spec.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { dataUntilArg, parseDataUntil, requiredProjectArg } from './operations-args.ts';

export const monitorCommand = defineCommand({
  meta: {
    name: 'monitor',
    description:
      "Check the deployed model on data that arrived after it was trained: feature drift (PSI, KS), its proper scores on the new results against evaluation time and, for a version 2 project, the share of stale features at serving time. Records the check in the project's operations/monitoring/.",
  },
  args: {
    project: requiredProjectArg,
    until: dataUntilArg,
  },
  async run({ args }) {
    const slug = args.project;
    const workspace = workspaceAt();
    const version = await projectFileVersion(workspace, slug);
    const dataUntil = parseDataUntil(args.until, { season: version === 2 });
    let outcome: { record: MonitoringRecord; file: string };
    if (version === 2) {
      const project = await loadProjectFile(workspace, slug);
      const { monitorTaskProject } = await import('../../operations/monitor-task.ts');
      outcome = await monitorTaskProject(workspace, project, dataUntil ? { dataUntil } : {});
    } else {
      const project = await loadProject(workspace, slug);
      const { monitorProject } = await import('../../operations/monitor.ts');
      outcome = await monitorProject(workspace, project, dataUntil ? { dataUntil } : {});
    }
    const { record, file } = outcome;
    console.log(
      `${slug}: model health ${record.status.toUpperCase()} (${record.deployed.modelId} of run ${record.deployed.runId})`,
    );
    for (const finding of record.findings) console.log(`  - ${finding}`);
    console.log(`Recorded in ${relative(process.cwd(), file)}`);
  },
});
