import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { type LoadedProject, loadProjectFile } from '../../portfolio/project-file/load.ts';
import { type Workspace, workspaceAt } from '../../portfolio/workspace.ts';
import { exampleWorkspace as exampleFolder } from '../e2e/workspace.ts';
import { v1ProjectFile } from './v1-football.ts';

export const exampleSlug = 'football-match-outcomes';

/**
 * A throw-away portfolio holding the football example's version 1 project file (so every use also
 * goes through the upgrade on load), on the real bundled data, with a smaller model list so an
 * engine run takes seconds: the prior and Elo baselines and a logistic regression (an 11-feature
 * model, so contributions are non-trivial).
 */
export async function exampleWorkspace(): Promise<{
  workspace: Workspace;
  project: LoadedProject;
  dispose: () => Promise<void>;
}> {
  const root = await exampleFolder('mlfolio-ops-');
  const specFile = join(root, 'content', 'projects', exampleSlug, 'project.yaml');
  const spec = parse(await readFile(v1ProjectFile, 'utf8')) as Record<string, unknown>;
  spec.models = [
    { id: 'prior', kind: 'prior' },
    { id: 'elo', kind: 'elo' },
    { id: 'logreg', kind: 'logistic-regression', params: { l2: 0.001, epochs: 40, learningRate: 0.05 } },
  ];
  await writeFile(specFile, stringify(spec));
  const workspace = workspaceAt(root);
  const project = await loadProjectFile(workspace, exampleSlug, { notice: () => {} });
  return { workspace, project, dispose: () => rm(root, { recursive: true, force: true }) };
}
