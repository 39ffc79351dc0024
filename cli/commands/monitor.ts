import { relative } from 'node:path';
import { defineCommand } from 'citty';
import type { MonitoringRecord } from '../../operations/monitoring-record.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { dataUntilArg, parseDataUntil, requiredProjectArg } from './operations-args.ts';

export const monitorCommand = defineCommand({
  meta: {
    name: 'monitor',
    description:
      "Check the deployed model on data that arrived after it was trained: feature drift (PSI, KS), its proper scores on the new results against evaluation time and the share of stale features at serving time. Records the check in the project's operations/monitoring/.",
  },
  args: {
    project: requiredProjectArg,
    until: dataUntilArg,
  },
  async run({ args }) {
    const slug = args.project;
    const workspace = workspaceAt();
    const dataUntil = parseDataUntil(args.until, { season: true });
    // A version 1 file arrives upgraded (with a one-line notice).
    const project = await loadProjectFile(workspace, slug);
    const { monitorTaskProject } = await import('../../operations/monitor-task.ts');
    const { record, file }: { record: MonitoringRecord; file: string } = await monitorTaskProject(
      workspace,
      project,
      dataUntil ? { dataUntil } : {},
    );
    console.log(
      `${slug}: model health ${record.status.toUpperCase()} (${record.deployed.modelId} of run ${record.deployed.runId})`,
    );
    for (const finding of record.findings) console.log(`  - ${finding}`);
    console.log(`Recorded in ${relative(process.cwd(), file)}`);
  },
});
