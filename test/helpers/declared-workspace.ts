import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { runEngine } from '../../pipelines/engine/run-engine.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { type Workspace, workspaceAt } from '../../portfolio/workspace.ts';
import { repoRoot } from '../e2e/workspace.ts';

export const declaredSlugs = ['international-match-outcomes', 'mlb-team-wins'] as const;
export type DeclaredSlug = (typeof declaredSlugs)[number];

/**
 * A throw-away portfolio (outside the repository, so the data comes from mlfolio's own shipped
 * copies) holding the version 2 example projects, each run once by the engine on the real data.
 * The model lists lose the MLP and the trees and the backtest keeps one fold, so the runs take
 * seconds; data, feature store, skew check, split and evaluation are the projects' own.
 */
export async function declaredWorkspace(): Promise<{
  workspace: Workspace;
  runs: Record<DeclaredSlug, RunRecord>;
  dispose: () => Promise<void>;
}> {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-serve-v2-'));
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  const workspace = workspaceAt(root);
  const runs = {} as Record<DeclaredSlug, RunRecord>;
  for (const slug of declaredSlugs) {
    const dir = join(root, 'content', 'projects', slug);
    await mkdir(dir, { recursive: true });
    const spec = parse(
      await readFile(join(repoRoot, 'content', 'projects', slug, 'project.yaml'), 'utf8'),
    ) as Record<string, unknown> & { models: { kind: string }[]; backtest: Record<string, unknown> };
    spec.models = spec.models.filter((m) => m.kind !== 'mlp' && m.kind !== 'gradient-boosting');
    // The example's experiments name the trimmed models (an arm must be a model of the project).
    delete spec.experiments;
    spec.backtest = { ...spec.backtest, maxFolds: 1 };
    spec.leakageGuard = { probes: 2 };
    await writeFile(join(dir, 'project.yaml'), stringify(spec));
    const project = await loadProjectFile(workspace, slug);
    runs[slug] = (await runEngine(workspace, project)).record;
  }
  return { workspace, runs, dispose: () => rm(root, { recursive: true, force: true }) };
}
