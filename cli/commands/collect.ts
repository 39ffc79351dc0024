import { relative } from 'node:path';
import { defineCommand } from 'citty';
import { collectProjectTables } from '../../pipelines/collect/collect-project.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { projectArg, projectsFor } from './shared-args.ts';

export const collectCommand = defineCommand({
  meta: {
    name: 'collect',
    description:
      "Collect a project's tables from their sources and write each with its provenance, and the rows left out with their reasons, to .mlfolio/data/<project>/tables/.",
  },
  args: { project: projectArg },
  async run({ args }) {
    const workspace = workspaceAt();
    for (const slug of await projectsFor(workspace, args.project)) {
      const project = await loadProjectFile(workspace, slug);
      for (const { table, file } of await collectProjectTables(workspace, project)) {
        const { provenance, excluded } = table;
        console.log(
          `${slug}: table ${table.name}: ${provenance.rows} rows from ${provenance.origin.join(', ')}; ${provenance.excludedRows} left out; sha256 ${provenance.sha256.slice(0, 12)} → ${relative(workspace.root, file) || file}`,
        );
        for (const entry of excluded.slice(0, 10))
          console.log(`  left out ${entry.location}: ${entry.reason}`);
        if (excluded.length > 10) console.log(`  … and ${excluded.length - 10} more (see ${file})`);
      }
    }
  },
});
