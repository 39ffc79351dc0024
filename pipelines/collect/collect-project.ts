import { join } from 'node:path';
import { writeJsonAtomic } from '../../portfolio/atomic-write.ts';
import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import { projectPaths, type Workspace } from '../../portfolio/workspace.ts';
import { type CollectedTable, collectTable } from './collect-table.ts';

/** One table collected by `collectProjectTables`, and the file holding it. */
export interface CollectedTableFile {
  table: CollectedTable;
  file: string;
}

/**
 * Collects every table a project declares, as its run's collect stage does, and writes each with
 * its provenance and the rows left out (with their reasons) to
 * `.mlfolio/data/<slug>/tables/<table>.json`, atomically. Bad data fails with the table's own error
 * (`collectTable`); tables already written stay written.
 */
export async function collectProjectTables(
  workspace: Workspace,
  project: LoadedProject,
  options: { now?: () => Date } = {},
): Promise<CollectedTableFile[]> {
  const dir = join(projectPaths(workspace, project.slug).dataDir, 'tables');
  const collected: CollectedTableFile[] = [];
  for (const [name, spec] of Object.entries(project.file.data.tables)) {
    const table = await collectTable(name, spec, {
      workspace,
      slug: project.slug,
      specFile: project.specFile,
      ...(options.now ? { now: options.now } : {}),
    });
    const file = join(dir, `${name}.json`);
    await writeJsonAtomic(file, table);
    collected.push({ table, file });
  }
  return collected;
}
