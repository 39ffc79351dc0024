import { join } from 'node:path';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import {
  type ExperimentPlan,
  type HistoryRow,
  planExperiment,
  planInputsFromHistory,
} from './experiment-plan.ts';
import { controlArm, type Experiment } from './experiment-spec.ts';
import { latestVersion2Run } from './project-analysis.ts';
import { expectedScorePrefix } from './project-experiments.ts';
import { expectedScore, forecastOfPrediction, projectScorers } from './project-scorers.ts';
import { runArmPredictor } from './run-arm-predictor.ts';
import { readRunEvents } from './run-events.ts';

/**
 * The history a project's experiment is planned from: for each held-out event of the latest run
 * (which none of its models trained on), the primary metric under the control model and under the
 * first treatment, and the declared `expected:<model>` covariate; dated by the events, so units per
 * week come from the data.
 */
export async function projectHistory(
  workspace: Workspace,
  project: LoadedProject,
  experiment: Experiment,
): Promise<{ rows: HistoryRow[]; source: string }> {
  const run = await latestVersion2Run(workspace, project.slug);
  const runDir = join(projectPaths(workspace, project.slug).runsDir, run.runId);
  const data = await readRunEvents(workspace, project.slug, run, 'test');
  const scorer = projectScorers(project.file, data.task)[experiment.primaryMetric.metric]!;
  const control = await runArmPredictor(runDir, run, controlArm(experiment));
  const treatmentModel = experiment.arms.find((arm) => !arm.control)!.model;
  const treatment = await runArmPredictor(runDir, run, treatmentModel);
  const covariateName = experiment.cupedCovariate;
  const covariateModel = covariateName?.startsWith(expectedScorePrefix)
    ? await runArmPredictor(runDir, run, covariateName.slice(expectedScorePrefix.length))
    : undefined;
  const metric = (
    experiment.primaryMetric.metric === 'decision-value'
      ? project.file.primaryMetric
      : experiment.primaryMetric.metric
  ) as Parameters<typeof expectedScore>[0];
  const rows: HistoryRow[] = [];
  for (const event of data.events) {
    const input = { features: event.features };
    const c = scorer((await control.predict(input)).prediction, event.outcome);
    const t = scorer((await treatment.predict(input)).prediction, event.outcome);
    if (c === undefined) continue;
    const forecast = covariateModel
      ? forecastOfPrediction((await covariateModel.predict(input)).prediction, data.task)
      : undefined;
    rows.push({
      at: event.time,
      control: c,
      ...(t === undefined ? {} : { treatment: t }),
      ...(forecast ? { covariate: expectedScore(metric, data.task, forecast) } : {}),
    });
  }
  return {
    rows,
    source: `the held-out ${data.seasons.join(', ')} of run ${run.runId} (${controlArm(experiment)} and ${treatmentModel})`,
  };
}

/** `planExperiment` with the inputs estimated from the project's own run (`projectHistory`). */
export async function planProjectExperiment(
  workspace: Workspace,
  project: LoadedProject,
  experiment: Experiment,
): Promise<ExperimentPlan> {
  const { rows, source } = await projectHistory(workspace, project, experiment);
  return planExperiment(experiment, planInputsFromHistory(rows, source));
}
