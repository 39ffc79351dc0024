import type { AnyProject } from '../portfolio/project-file/any-project.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import type { EngineRunOptions } from './engine/run-engine.ts';
import type { RunRecord } from './runs/run-record.ts';

export interface AnyRunOutcome {
  record: RunRecord;
  runDir: string;
  reused: boolean;
}

/**
 * Runs a project, whichever file version it was written in, on the declared engine (a version 1
 * file arrives upgraded by `loadAnyProject`).
 */
export async function runAnyProject(
  workspace: Workspace,
  project: AnyProject,
  options: EngineRunOptions,
): Promise<AnyRunOutcome> {
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
  options.onCompute?.();
  const { runEngine } = await import('./engine/run-engine.ts');
  return runEngine(workspace, project.declared, options);
}
