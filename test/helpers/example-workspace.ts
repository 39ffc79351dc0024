import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { loadProject, type Project } from '../../portfolio/project-spec.ts';
import { type Workspace, workspaceAt } from '../../portfolio/workspace.ts';

export const exampleSlug = 'football-match-outcomes';
const repoRoot = join(import.meta.dirname, '..', '..');

/**
 * A throw-away workspace holding the example project on the real bundled data, with a smaller
 * model list so a pipeline run takes seconds: the prior and Elo baselines and a short-trained
 * logistic regression (an 11-feature model, so contributions are non-trivial).
 */
export async function exampleWorkspace(): Promise<{
  workspace: Workspace;
  project: Project;
  dispose: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-ops-'));
  const source = join(repoRoot, 'content', 'projects', exampleSlug);
  const target = join(root, 'content', 'projects', exampleSlug);
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  await cp(join(source, 'project.yaml'), join(target, 'project.yaml'));
  const spec = parse(await readFile(join(target, 'project.yaml'), 'utf8')) as Record<string, unknown>;
  spec.models = [
    { id: 'prior', kind: 'prior' },
    { id: 'elo', kind: 'elo' },
    { id: 'logreg', kind: 'logistic-regression', params: { l2: 0.001, epochs: 40, learningRate: 0.05 } },
  ];
  await writeFile(join(target, 'project.yaml'), stringify(spec));
  const workspace = workspaceAt(root);
  const project = await loadProject(workspace, exampleSlug);
  return { workspace, project, dispose: () => rm(root, { recursive: true, force: true }) };
}
