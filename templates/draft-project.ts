import { join } from 'node:path';
import { pathExists } from '../portfolio/files.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import { scrapedSourceOf } from '../scrapers/sources/html-stats-table/project-source.ts';

/**
 * Why a project cannot run yet, or undefined when it can: a project that reads scraped pages (a
 * stats-table scaffold) whose pages `mlfolio scrape` has not collected yet. `npm start` never
 * fetches, so it skips such a project with the reason instead of failing; `mlfolio audit` lists
 * what it is missing. A file that does not load is not a draft: the loader reports it precisely.
 */
export async function draftReason(workspace: Workspace, slug: string): Promise<string | undefined> {
  let sourceFile: string | undefined;
  try {
    sourceFile = await scrapedSourceOf(workspace, slug);
  } catch {
    return undefined;
  }
  if (!sourceFile) return undefined;
  const collected = await pathExists(join(projectPaths(workspace, slug).dataDir, 'dataset.json'));
  return collected ? undefined : `its data is not collected yet (\`mlfolio scrape ${slug}\`)`;
}
