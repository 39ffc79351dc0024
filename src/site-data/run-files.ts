import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TeamState } from '../../pipelines/features/team-history.ts';
import type { ModelArtifact } from '../../pipelines/models/artifact.ts';
import type { ModelResult } from '../../pipelines/runs/run-record.ts';
import type { SiteProject } from './portfolio.ts';
import { siteError } from './site-error.ts';

/** A trained model's artifact, read from the run directory: what the demo runs. */
export async function readArtifact(project: SiteProject, model: ModelResult): Promise<ModelArtifact> {
  return readRunJson<ModelArtifact>(project, model.artifact, `the artifact of model "${model.id}"`);
}

/** Every team's rating and form at the end of the data: the demo's starting point. */
export async function readTeamState(project: SiteProject): Promise<Record<string, TeamState>> {
  return readRunJson<Record<string, TeamState>>(project, 'team-state.json', 'the team state');
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
