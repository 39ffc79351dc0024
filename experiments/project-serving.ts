import { access } from 'node:fs/promises';
import type { TaskMetricId } from '../pipelines/tasks/metrics.ts';
import { taskMetrics } from '../pipelines/tasks/metrics.ts';
import type { Task } from '../pipelines/tasks/task.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import type { Workspace } from '../portfolio/workspace.ts';
import type { Experiment } from './experiment-spec.ts';
import { ExposureLog } from './exposure-log.ts';
import { checkRegistered } from './pre-registration.ts';
import { expectedScorePrefix, experimentPaths, projectExperiment } from './project-experiments.ts';
import { expectedScore, forecastOfPrediction } from './project-scorers.ts';
import type { ArmPrediction, ArmPredictor, ExperimentServingOptions } from './serving.ts';

/** A predictor for one of the project's models (from the deployed run), by model id. */
export type ArmPredictorFor = (modelId: string) => ArmPredictor | Promise<ArmPredictor>;

export interface ServedExperiments {
  /** Options for `experimentPlugin`, one per started experiment; their logs are open. */
  experiments: ExperimentServingOptions[];
  /** Declared experiments not served, with the reason (not started yet). */
  skipped: { key: string; reason: string }[];
  /** Closes every exposure log. */
  close(): void;
}

/**
 * The project's experiments to mount on its server: every declared experiment that was started
 * (pre-registered), checked against its registration (`E_EXPERIMENT_EDITED` if edited without an
 * amendment), each arm served by `armPredictorFor(model)`, exposures appended to the experiment's
 * log in the project folder. `only` restricts to the keys given (an unknown or unstarted one is an
 * error). A declared `expected:<model>` covariate is computed with that model from the same input
 * and logged with each exposure, before any outcome exists.
 */
export async function projectExperimentsToServe(
  workspace: Workspace,
  project: LoadedProject,
  task: Task,
  armPredictorFor: ArmPredictorFor,
  options: { only?: readonly string[]; clock?: 'server' | 'request'; now?: () => Date } = {},
): Promise<ServedExperiments> {
  const declared = project.file.experiments ?? [];
  const wanted = options.only ?? declared.map((experiment) => experiment.key);
  const served: ExperimentServingOptions[] = [];
  const skipped: ServedExperiments['skipped'] = [];
  const logs: ExposureLog[] = [];
  try {
    for (const key of wanted) {
      const experiment = declared.find((e) => e.key === key);
      if (!experiment) {
        projectExperiment(project, key);
        continue;
      }
      const paths = experimentPaths(workspace, project.slug, key);
      const started = await access(paths.registration).then(
        () => true,
        () => false,
      );
      if (!started) {
        if (options.only) {
          throw new MlfolioError({
            code: 'E_EXPERIMENT_NOT_STARTED',
            message: `Experiment "${key}" of project "${project.slug}" has no pre-registration (${paths.registration}).`,
            hint: `Start it first: \`mlfolio experiment start ${project.slug} ${key}\`.`,
          });
        }
        skipped.push({ key, reason: `not started (\`mlfolio experiment start ${project.slug} ${key}\`)` });
        continue;
      }
      await checkRegistered(paths.registry, experiment);
      const arms: Record<string, ArmPredictor> = {};
      const covariate = covariatePredictor(experiment, project, task, armPredictorFor);
      for (const arm of experiment.arms) {
        const predictor = await armPredictorFor(arm.model);
        arms[arm.model] = covariate ? withCovariate(predictor, await covariate) : predictor;
      }
      const log = ExposureLog.open(paths.exposures);
      logs.push(log);
      served.push({
        experiment,
        arms,
        log,
        ...(options.clock ? { clock: options.clock } : {}),
        ...(options.now ? { now: options.now } : {}),
      });
    }
  } catch (error) {
    for (const log of logs) log.close();
    throw error;
  }
  return {
    experiments: served,
    skipped,
    close: () => {
      for (const log of logs) log.close();
    },
  };
}

interface CovariateSource {
  name: string;
  compute(input: unknown): Promise<number | undefined>;
}

function covariatePredictor(
  experiment: Experiment,
  project: LoadedProject,
  task: Task,
  armPredictorFor: ArmPredictorFor,
): Promise<CovariateSource> | undefined {
  const name = experiment.cupedCovariate;
  if (!name?.startsWith(expectedScorePrefix)) return undefined;
  const model = name.slice(expectedScorePrefix.length);
  // The experiment's own primary metric when it is a proper score, else the project's.
  const metric = (
    experiment.primaryMetric.metric in taskMetrics
      ? experiment.primaryMetric.metric
      : project.file.primaryMetric
  ) as TaskMetricId;
  return Promise.resolve(armPredictorFor(model)).then((predictor) => ({
    name,
    async compute(input) {
      const forecast = forecastOfPrediction((await predictor.predict(input)).prediction, task);
      return forecast ? expectedScore(metric, task, forecast) : undefined;
    },
  }));
}

function withCovariate(predictor: ArmPredictor, covariate: CovariateSource): ArmPredictor {
  return {
    version: predictor.version,
    async predict(input): Promise<ArmPrediction> {
      const [result, value] = await Promise.all([predictor.predict(input), covariate.compute(input)]);
      return value === undefined
        ? result
        : { ...result, covariates: { ...result.covariates, [covariate.name]: value } };
    },
  };
}
