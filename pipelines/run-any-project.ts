import type { Progress } from '../portfolio/progress.ts';
import type { AnyProject } from '../portfolio/project-file/any-project.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import type { RunRecord } from './runs/run-record.ts';

export interface AnyRunOutcome {
  record: RunRecord;
  runDir: string;
  reused: boolean;
}

/**
 * Runs a project on the pipeline its file version names: version 2 on the declared engine,
 * version 1 (the match-outcome project) on the original pipeline.
 */
export async function runAnyProject(
  workspace: Workspace,
  project: AnyProject,
  options: { force?: boolean; progress?: Progress; dataUntil?: string },
): Promise<AnyRunOutcome> {
  if (project.version === 2) {
    // Checked before the engine is loaded: an unchanged rerun then never loads DuckDB or TensorFlow.js.
    if (!options.force) {
      const { engineRunFingerprint, runWithFingerprint } = await import('./engine/run-fingerprint.ts');
      const fingerprint = await engineRunFingerprint(workspace, project.declared, options);
      const unchanged = await runWithFingerprint(workspace, project.declared.slug, fingerprint);
      if (unchanged) {
        options.progress?.stage(
          'report',
          `unchanged since run ${unchanged.record.runId} (project, data, labels and code)`,
        );
        return { ...unchanged, reused: true };
      }
    }
    const { runEngine } = await import('./engine/run-engine.ts');
    return runEngine(workspace, project.declared, options);
  }
  const { runProject } = await import('./run-project.ts');
  return runProject(workspace, project.legacy, options);
}
