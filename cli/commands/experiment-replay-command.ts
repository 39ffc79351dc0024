import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { terminalProgress } from '../terminal-progress.ts';

/** `mlfolio replay <project> --experiment <key>`: replays, analyses, prints the verdict. */
export async function replayExperimentCommand(
  workspace: Workspace,
  slug: string,
  key: string,
): Promise<void> {
  const project = await loadProjectFile(workspace, slug);
  const { replayExperiment } = await import('../../experiments/experiment-replay.ts');
  const { startProjectReplayServer } = await import('../../experiments/replay-server.ts');
  const { formatAnalysis } = await import('../../experiments/report-text.ts');
  const result = await replayExperiment(workspace, project, key, startProjectReplayServer, {
    progress: terminalProgress(process.stderr, `[${slug}] `),
  });
  console.log(
    `${slug}: replayed ${result.sent} held-out events (${result.seasons.join(', ')}) of run ${result.run} through experiment ${key}: ${result.answered} answered, ${result.logged} units logged (${Object.entries(
      result.arms,
    )
      .map(([arm, n]) => `${arm} ${n}`)
      .join(', ')}).`,
  );
  console.log(formatAnalysis(result.report.analysis));
}
