import { join } from 'node:path';
import { MlfolioError } from '../../../portfolio/errors.ts';
import { loadProjectFile } from '../../../portfolio/project-file/load.ts';
import { projectPaths, type Workspace } from '../../../portfolio/workspace.ts';

/**
 * The scrape source file of a project whose table comes from scraped pages
 * (`source: { kind: html-stats-table, file }`, relative to the project folder), or undefined when
 * the project reads no scraped pages. Its pages are collected into `.mlfolio/data/<slug>/`, which
 * the project's collect stage reads, so a project has at most one such table.
 */
export async function scrapedSourceOf(workspace: Workspace, slug: string): Promise<string | undefined> {
  const { file, specFile } = await loadProjectFile(workspace, slug);
  const scraped = Object.entries(file.data.tables).flatMap(([name, table]) =>
    table.source.kind === 'html-stats-table' ? [{ name, file: table.source.file }] : [],
  );
  if (scraped.length > 1) {
    throw new MlfolioError({
      code: 'E_PROJECT_FILE_INVALID',
      message: `${specFile}: tables ${scraped.map((t) => `"${t.name}"`).join(', ')} all read scraped pages; a project reads one (its pages are collected into .mlfolio/data/${slug}/).`,
      hint: 'Keep one html-stats-table table, or collect the others with `mlfolio scrape <source.yaml>` and read them as csv or json.',
    });
  }
  return scraped[0] ? join(projectPaths(workspace, slug).dir, scraped[0].file) : undefined;
}
