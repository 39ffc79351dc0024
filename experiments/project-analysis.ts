import { readdir, readFile } from 'node:fs/promises';
import { latestRun } from '../operations/deployed-model.ts';
import type { RunRecord } from '../pipelines/runs/run-record.ts';
import { writeFileAtomic, writeJsonAtomic } from '../portfolio/atomic-write.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import { analyzeExperiment, type ExperimentAnalysis } from './analysis.ts';
import type { Experiment } from './experiment-spec.ts';
import { type ExperimentStatus, experimentStatus } from './experiment-status.ts';
import { type Exposure, readExposureLog } from './exposure-log.ts';
import type { OutcomeRow } from './outcome-join.ts';
import { checkRegistered, type Registration } from './pre-registration.ts';
import { experimentPaths, projectExperiment } from './project-experiments.ts';
import { projectScorers } from './project-scorers.ts';
import { readRunEvents } from './run-events.ts';

/** What `analysis.json` holds: everything the site's experiment report shows, from the records. */
export interface ExperimentReport {
  schemaVersion: 1;
  project: string;
  experiment: Experiment;
  registration: {
    startedAt: string;
    /** Content hash of the declaration as last registered. */
    specHash: string;
    hypothesis: string;
    amendments: { at: string; reason: string }[];
  };
  /** The run whose data gave the outcomes. */
  outcomesFrom: { runId: string; runKey: string; events: number };
  status: ExperimentStatus;
  /** Units entering per UTC day and arm (first served exposure), for the exposures chart. */
  unitsByDay: { day: string; arm: string; units: number }[];
  analysis: ExperimentAnalysis;
  analysedAt: string;
}

/**
 * Analyses a project's experiment from its records: checks it against its registration, reads its
 * exposure log, joins the outcomes of the exposed units from the latest run's data (events the run
 * has with a target; the rest await their outcome) into `outcomes.jsonl`, analyses, and writes the
 * report to `analysis.json` (both atomically). Throws `E_NO_OUTCOMES` when no exposed unit has an
 * outcome yet; the exposure log is only read.
 */
export async function analyzeProjectExperiment(
  workspace: Workspace,
  project: LoadedProject,
  key: string,
  options: { now?: () => Date; run?: RunRecord } = {},
): Promise<ExperimentReport> {
  const experiment = projectExperiment(project, key);
  const paths = experimentPaths(workspace, project.slug, key);
  const registration = await checkRegistered(paths.registry, experiment);
  const log = await readExposureLog(paths.exposures);
  const run = options.run ?? (await latestVersion2Run(workspace, project.slug));
  const data = await readRunEvents(workspace, project.slug, run, 'all');
  const exposed = new Set(log.exposures.filter((e) => e.experiment === key).map((e) => e.unit));
  const outcomes: OutcomeRow[] = data.events
    .filter((event) => exposed.has(event.id))
    .map((event) => ({ unit: event.id, outcome: event.outcome }));
  await writeFileAtomic(paths.outcomes, outcomes.map((row) => `${JSON.stringify(row)}\n`).join(''));
  const analysis = analyzeExperiment(
    experiment,
    log.exposures,
    outcomes,
    projectScorers(project.file, data.task),
  );
  const report: ExperimentReport = {
    schemaVersion: 1,
    project: project.slug,
    experiment,
    registration: registrationSummary(registration),
    outcomesFrom: { runId: run.runId, runKey: run.key, events: outcomes.length },
    status: experimentStatus(experiment, log),
    unitsByDay: unitsByDay(key, log.exposures),
    analysis,
    analysedAt: (options.now?.() ?? new Date()).toISOString(),
  };
  await writeJsonAtomic(paths.analysis, report);
  return report;
}

function unitsByDay(key: string, exposures: readonly Exposure[]): ExperimentReport['unitsByDay'] {
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  for (const exposure of exposures) {
    if (exposure.experiment !== key || exposure.role !== 'served' || seen.has(exposure.unit)) continue;
    seen.add(exposure.unit);
    const id = `${exposure.at.slice(0, 10)}\0${exposure.arm}`;
    counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return [...counts]
    .map(([id, units]) => {
      const [day, arm] = id.split('\0') as [string, string];
      return { day, arm, units };
    })
    .sort((a, b) => a.day.localeCompare(b.day) || a.arm.localeCompare(b.arm));
}

/**
 * Every analysed experiment of a project (`experiments/<key>/analysis.json`), by key. A report
 * that is not one (`schemaVersion` 1 with an analysis) throws `E_EXPERIMENT_REPORT_INVALID` naming
 * the file.
 */
export async function readExperimentReports(workspace: Workspace, slug: string): Promise<ExperimentReport[]> {
  const registry = experimentPaths(workspace, slug, '_').registry;
  const keys = await readdir(registry).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [] as string[];
    throw error;
  });
  const reports: ExperimentReport[] = [];
  for (const key of keys.sort()) {
    const file = experimentPaths(workspace, slug, key).analysis;
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw error;
    });
    if (text === undefined) continue;
    let report: ExperimentReport | undefined;
    try {
      report = JSON.parse(text) as ExperimentReport;
    } catch {
      report = undefined;
    }
    if (report?.schemaVersion !== 1 || !report.analysis?.arms || !report.registration?.specHash) {
      throw new MlfolioError({
        code: 'E_EXPERIMENT_REPORT_INVALID',
        message: `${file} is not an experiment report (schemaVersion 1 with a registration and an analysis).`,
        hint: `Rewrite it with \`mlfolio experiment analyze ${slug} ${key}\`.`,
      });
    }
    reports.push(report);
  }
  return reports;
}

export function registrationSummary(registration: Registration): ExperimentReport['registration'] {
  const first = registration.entries[0]!;
  const last = registration.entries.at(-1)!;
  return {
    startedAt: first.at,
    specHash: last.specHash,
    hypothesis: last.experiment.hypothesis,
    amendments: registration.entries
      .filter((entry) => entry.kind === 'amendment')
      .map((entry) => ({ at: entry.at, reason: entry.reason ?? '' })),
  };
}

/**
 * The latest run of a project, which must be a version 2 run: `E_NO_RUN` when there is none,
 * `E_PROJECT_VERSION` when the version 1 pipeline made it.
 */
export async function latestVersion2Run(workspace: Workspace, slug: string): Promise<RunRecord> {
  const run = await latestRun(
    workspace,
    slug,
    'so there are no models to experiment with and no outcomes to join',
  );
  if (run.schemaVersion !== 2) {
    throw new MlfolioError({
      code: 'E_PROJECT_VERSION',
      message: `Run ${run.runId} of "${slug}" was made by the version 1 pipeline; project experiments need a version 2 project and run.`,
      hint: 'Pass the experiment file itself (`mlfolio experiment <action> <file>`) with --exposures and --outcomes.',
    });
  }
  return run;
}
