import { join } from 'node:path';
import { defineCommand } from 'citty';
import { writeJsonAtomic } from '../../portfolio/atomic-write.ts';
import { loadProject } from '../../portfolio/project-spec.ts';
import { projectPaths, workspaceAt } from '../../portfolio/workspace.ts';
import { collectOpenFootball } from '../../scrapers/sources/openfootball/index.ts';
import { projectArg, projectsFor } from './shared-args.ts';

export const collectCommand = defineCommand({
  meta: {
    name: 'collect',
    description:
      "Collect a project's dataset from its source and write it with its provenance to .mlfolio/data/<project>/.",
  },
  args: { project: projectArg },
  async run({ args }) {
    const workspace = workspaceAt();
    for (const slug of await projectsFor(workspace, args.project)) {
      const project = await loadProject(workspace, slug);
      const dataset = await collectOpenFootball(project.spec.source);
      const file = join(projectPaths(workspace, slug).dataDir, 'dataset.json');
      await writeJsonAtomic(file, dataset);
      const { provenance } = dataset;
      console.log(
        `${slug}: ${provenance.rows} records from ${provenance.origin.join(', ')}; ${provenance.excludedRows} left out; sha256 ${provenance.sha256.slice(0, 12)} → ${file}`,
      );
      for (const excluded of dataset.excluded.slice(0, 10))
        console.log(`  left out ${excluded.location}: ${excluded.reason}`);
      if (dataset.excluded.length > 10)
        console.log(`  … and ${dataset.excluded.length - 10} more (see ${file})`);
    }
  },
});
