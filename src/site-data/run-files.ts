import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelResult } from '../../pipelines/runs/run-record.ts';
import type { TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import type { SiteProject } from './portfolio.ts';
import { siteError } from './site-error.ts';

/** A trained model's artifact, read from the run directory: what the demo runs. */
export async function readArtifact(project: SiteProject, model: ModelResult): Promise<TaskArtifact> {
  return readRunJson<TaskArtifact>(project, model.artifact, `the artifact of model "${model.id}"`);
}

async function readRunJson<T>(project: SiteProject, relativePath: string, what: string): Promise<T> {
  const file = join(project.runDir ?? '', relativePath);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    throw siteError(
      {
        code: 'E_SITE_RUN_FILE_MISSING',
        message: `The demo of "${project.slug}" needs ${what} at ${file}, which cannot be read.`,
        hint: `Rerun the pipeline: \`npm run mlfolio -- run ${project.slug} --force\`.`,
      },
      { cause: error },
    );
  }
}
