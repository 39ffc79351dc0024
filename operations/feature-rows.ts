import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FeatureRow } from '../pipelines/features/match-features.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { Project } from '../portfolio/project-spec.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import type { CollectedDataset } from '../scrapers/source.ts';
import { collectOpenFootball, type MatchRecord } from '../scrapers/sources/openfootball/index.ts';

/**
 * Every match of the project's current data with its features, computed by the pipeline's own
 * feature code (so monitoring and retraining see exactly what a pipeline run would), in date order.
 * The offline source is read from its package; a live source is read from the last collection
 * (`mlfolio collect`), never fetched here.
 */
export async function currentFeatureRows(
  workspace: Workspace,
  project: Project,
  dataUntil?: string,
): Promise<FeatureRow[]> {
  let dataset: CollectedDataset<MatchRecord>;
  if (project.spec.source.transport === 'offline') {
    dataset = await collectOpenFootball(project.spec.source);
  } else {
    const file = join(projectPaths(workspace, project.slug).dataDir, 'dataset.json');
    try {
      dataset = JSON.parse(await readFile(file, 'utf8')) as CollectedDataset<MatchRecord>;
    } catch (error) {
      throw new MlfolioError(
        {
          code: 'E_DATASET_MISSING',
          message: `Project "${project.slug}" has no collected dataset at ${file}.`,
          hint: `Run \`mlfolio collect ${project.slug}\` first.`,
        },
        { cause: error },
      );
    }
  }
  const records =
    dataUntil === undefined ? dataset.records : dataset.records.filter((r) => r.date <= dataUntil);
  const { buildFeatureTable } = await import('../pipelines/features/feature-table.ts');
  const table = await buildFeatureTable(project.slug, records, project.spec.features);
  return table.rows;
}
