import { join } from 'node:path';
import { defineCommand } from 'citty';
import { MlfolioError } from '../../portfolio/errors.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { projectPaths, workspaceAt } from '../../portfolio/workspace.ts';

export const runsCommand = defineCommand({
  meta: {
    name: 'runs',
    description:
      "List a project's recorded runs, or compare two side by side (`--compare <a> <b>`; ids, unique prefixes, `latest` or `previous`).",
  },
  args: {
    project: {
      type: 'positional',
      description: 'Project slug (a folder under content/projects/).',
      required: true,
    },
    compare: {
      type: 'string',
      description: 'First run to compare; the second follows as an argument (default: latest).',
    },
  },
  async run({ args }) {
    const { compareRunsTable, formatTable, resolveRunId, runsTable } = await import(
      '../../pipelines/runs/compare-runs.ts'
    );
    const { listRunIds, readRunRecord, runFileName } = await import('../../pipelines/runs/run-record.ts');
    const workspace = workspaceAt();
    const project = await loadAnyProject(workspace, args.project);
    const { runsDir } = projectPaths(workspace, project.slug);
    const ids = await listRunIds(runsDir, (message) => console.error(`Warning: ${message}`));
    if (ids.length === 0) {
      throw new MlfolioError({
        code: 'E_RUN_MISSING',
        message: `Project "${project.slug}" has no recorded runs in ${runsDir}.`,
        hint: `Run \`mlfolio run ${project.slug}\` first.`,
      });
    }
    const read = (id: string) => readRunRecord(join(runsDir, id, runFileName));
    if (args.compare === undefined) {
      console.log(formatTable(runsTable(await Promise.all(ids.map(read)))));
      return;
    }
    const extra = (args._ ?? []).filter((value: string) => value !== args.project);
    const a = resolveRunId(project.slug, ids, args.compare);
    const b = resolveRunId(project.slug, ids, extra[0] ?? 'latest');
    console.log(formatTable(compareRunsTable(await read(a), await read(b)), 90));
  },
});
