import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runAnyProject } from '../../pipelines/run-any-project.ts';
import type { Progress } from '../../portfolio/progress.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { type Workspace, workspaceAt } from '../../portfolio/workspace.ts';
import { repoRoot } from '../e2e/workspace.ts';

const slug = 'mlb-team-wins';
let root: string;
let workspace: Workspace;
let spec: Record<string, unknown>;

/** The stages a run reported, in order. */
function recorder(): Progress & { stages: string[] } {
  const stages: string[] = [];
  return { stages, stage: (name) => stages.push(name), step() {}, info() {}, warn() {} };
}

async function run() {
  const progress = recorder();
  const project = await loadAnyProject(workspace, slug);
  const outcome = await runAnyProject(workspace, project, { progress });
  return { ...outcome, stages: progress.stages };
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mlfolio-run-fingerprint-'));
  await mkdir(join(root, 'content', 'projects', slug), { recursive: true });
  await cp(join(repoRoot, 'content', 'portfolio.yaml'), join(root, 'content', 'portfolio.yaml'));
  spec = parse(await readFile(join(repoRoot, 'content', 'projects', slug, 'project.yaml'), 'utf8'));
  // The project's own data, features and split; fewer models and folds, so the runs take seconds.
  spec.models = (spec.models as { kind: string }[]).filter(
    (m) => !['mlp', 'gradient-boosting'].includes(m.kind),
  );
  spec.backtest = { ...(spec.backtest as object), maxFolds: 1 };
  spec.leakageGuard = { probes: 2 };
  await writeFile(join(root, 'content', 'projects', slug, 'project.yaml'), stringify(spec));
  workspace = workspaceAt(root);
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

describe('an unchanged rerun of a version 2 project', () => {
  it('returns the latest run without running the stage graph, and runs it again once the project changes', async () => {
    const first = await run();
    expect(first.reused).toBe(false);
    expect(first.stages).toContain('features');

    const again = await run();
    expect(again.reused).toBe(true);
    expect(again.record.runId).toBe(first.record.runId);
    // Only the report line: no stage was looked up, so no stage output was read.
    expect(again.stages).toEqual(['report']);

    await writeFile(
      join(root, 'content', 'projects', slug, 'project.yaml'),
      stringify({ ...spec, title: `${String(spec.title)} (renamed)` }),
    );
    const renamed = await run();
    expect(renamed.reused).toBe(false);
    expect(renamed.stages).toContain('features');
    expect(renamed.record.runId).not.toBe(first.record.runId);
    // The same numbers: only the title changed, every stage was reused.
    expect(renamed.record.models.map((m) => m.metrics)).toEqual(first.record.models.map((m) => m.metrics));
    expect(renamed.record.stages.every((s) => s.cached)).toBe(true);

    const settled = await run();
    expect(settled.reused).toBe(true);
    expect(settled.record.runId).toBe(renamed.record.runId);
    expect(settled.stages).toEqual(['report']);
  }, 300_000);
});
