import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { loadProject } from '../../portfolio/project-spec.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { dataUntilArg, parseDataUntil, requiredProjectArg } from './operations-args.ts';

export const monitorCommand = defineCommand({
  meta: {
    name: 'monitor',
    description:
      "Check the deployed model on data that arrived after it was trained: feature drift (PSI, KS) and its proper scores on the new results against evaluation time. Records the check in the project's operations/monitoring/.",
  },
  args: {
    project: requiredProjectArg,
    until: dataUntilArg,
  },
  async run({ args }) {
    const slug = args.project;
    const workspace = workspaceAt();
    const project = await loadProject(workspace, slug);
    const dataUntil = parseDataUntil(args.until);
    const { monitorProject } = await import('../../operations/monitor.ts');
    const { record, file } = await monitorProject(workspace, project, dataUntil ? { dataUntil } : {});
    console.log(
      `${project.slug}: model health ${record.status.toUpperCase()} (${record.deployed.modelId} of run ${record.deployed.runId})`,
    );
    for (const finding of record.findings) console.log(`  - ${finding}`);
    console.log(`Recorded in ${relative(process.cwd(), file)}`);
  },
});
