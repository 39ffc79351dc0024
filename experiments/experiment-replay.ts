import { join } from 'node:path';
import type { RunRecord } from '../pipelines/runs/run-record.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { type Progress, silentProgress } from '../portfolio/progress.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import { readExposureLog } from './exposure-log.ts';
import { analyzeProjectExperiment, type ExperimentReport, latestVersion2Run } from './project-analysis.ts';
import { experimentPaths, projectExperiment } from './project-experiments.ts';
import type { ArmPredictorFor } from './project-serving.ts';
import { runArmPredictor } from './run-arm-predictor.ts';
import { type RunEvent, readRunEvents } from './run-events.ts';

/** A server that serves the project's experiments, started for the replay and closed after it. */
export interface ReplayServer {
  /** Base URL, e.g. http://127.0.0.1:40123. */
  url: string;
  /** The request `input` that asks the server for one held-out event's prediction. */
  inputFor(event: RunEvent): unknown;
  close(): Promise<void>;
}

/**
 * Starts the project's server with the experiment `key` mounted, its clock taken from each
 * request (`clock: 'request'`) and its arms served by `armPredictorFor`.
 */
export type StartReplayServer = (options: {
  workspace: Workspace;
  project: LoadedProject;
  run: RunRecord;
  key: string;
  armPredictorFor: ArmPredictorFor;
}) => Promise<ReplayServer>;

export interface ReplayResult {
  experiment: string;
  run: string;
  seasons: string[];
  /** Events sent, answered (2xx), and answered units found in the exposure log afterwards. */
  sent: number;
  answered: number;
  logged: number;
  /** Answers by arm. */
  arms: Record<string, number>;
  report: ExperimentReport;
}

/**
 * Replays the held-out period of the project's latest run through its server as traffic: each
 * event (unit = event id), in time order, is sent as the server asks for it (`inputFor`: the event
 * itself for the project's server, point in time) with its date as the request's time, so the
 * exposure log's days are the season's. Then the outcomes are joined
 * from the run's data and the experiment analysed (`analyzeProjectExperiment`). The experiment must
 * be started and its exposure log empty (`E_EXPOSURES_EXIST`: a replay never mixes with or
 * overwrites logged traffic). Every answered unit must be in the log afterwards, else
 * `E_EXPOSURES_LOST`.
 */
export async function replayExperiment(
  workspace: Workspace,
  project: LoadedProject,
  key: string,
  startServer: StartReplayServer,
  options: { progress?: Progress; armPredictorFor?: ArmPredictorFor; now?: () => Date } = {},
): Promise<ReplayResult> {
  const progress = options.progress ?? silentProgress;
  projectExperiment(project, key);
  const paths = experimentPaths(workspace, project.slug, key);
  const existing = await readExposureLog(paths.exposures).catch((error: unknown) => {
    if ((error as MlfolioError).code === 'E_EXPOSURE_LOG_MISSING') return undefined;
    throw error;
  });
  const already = existing?.exposures.filter((e) => e.experiment === key).length ?? 0;
  if (already > 0) {
    throw new MlfolioError({
      code: 'E_EXPOSURES_EXIST',
      message: `Experiment "${key}" already has ${already} exposure(s) in ${paths.exposures}; a replay sends a whole period and would mix with them.`,
      hint: `Analyse what is logged (\`mlfolio experiment analyze ${project.slug} ${key}\`), or declare and start a new experiment key for another replay.`,
    });
  }
  const run = await latestVersion2Run(workspace, project.slug);
  const runDir = join(projectPaths(workspace, project.slug).runsDir, run.runId);
  const data = await readRunEvents(workspace, project.slug, run, 'test');
  const armPredictorFor = options.armPredictorFor ?? ((model: string) => runArmPredictor(runDir, run, model));
  progress.stage(
    'replay',
    `${data.events.length} held-out events (${data.seasons.join(', ')}) of run ${run.runId}`,
  );
  const server = await startServer({ workspace, project, run, key, armPredictorFor });
  const arms: Record<string, number> = {};
  const answeredUnits = new Set<string>();
  let answered = 0;
  try {
    for (const [i, event] of data.events.entries()) {
      const response = await fetch(`${server.url}/experiments/${key}/predictions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          unit: event.id,
          at: event.time,
          input: server.inputFor(event),
        }),
      });
      const body = (await response.json()) as { arm?: string; inExperiment?: boolean };
      if (response.ok) {
        answered++;
        if (body.inExperiment) answeredUnits.add(event.id);
        if (body.arm) arms[body.arm] = (arms[body.arm] ?? 0) + 1;
      }
      if (i % 100 === 0) progress.step(i, data.events.length, 'events sent');
    }
    progress.step(data.events.length, data.events.length);
  } finally {
    await server.close();
  }
  const log = await readExposureLog(paths.exposures);
  const loggedUnits = new Set(log.exposures.filter((e) => e.experiment === key).map((e) => e.unit));
  const lost = [...answeredUnits].filter((unit) => !loggedUnits.has(unit));
  if (lost.length > 0) {
    throw new MlfolioError({
      code: 'E_EXPOSURES_LOST',
      message: `${lost.length} unit(s) answered in the replay of "${key}" are not in ${paths.exposures} (first: ${lost.slice(0, 3).join(', ')}).`,
      hint: 'This is a bug in exposure logging; keep the log and report it.',
    });
  }
  const report = await analyzeProjectExperiment(workspace, project, key, {
    run,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    experiment: key,
    run: run.runId,
    seasons: data.seasons,
    sent: data.events.length,
    answered,
    logged: loggedUnits.size,
    arms,
    report,
  };
}
