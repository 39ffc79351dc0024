import { join } from 'node:path';
import { metricsForTask, type TaskMetricId, taskMetrics } from '../pipelines/tasks/metrics.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import type { ProjectFile } from '../portfolio/project-file/schema.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import { overlappingExperiments } from './assignment.ts';
import { decisionValueMetric, type Experiment, experimentValidationProblems } from './experiment-spec.ts';

/**
 * A CUPED covariate a project can declare without logging it by hand: `expected:<model id>` is that
 * model's expected primary metric under its own forecast for the unit, computed from the same
 * point-in-time features as the served prediction, before the outcome exists.
 */
export const expectedScorePrefix = 'expected:';

/** Where an experiment of a project keeps its records (all under the project's folder, versioned). */
export interface ExperimentPaths {
  /** `content/projects/<slug>/experiments`: the registry `start` writes pre-registrations to. */
  registry: string;
  /** `…/experiments/<key>`. */
  dir: string;
  /** The pre-registration and its amendments (written by `start`). */
  registration: string;
  /** The exposure log the server appends to (JSON lines). */
  exposures: string;
  /** Outcomes joined from the project's run data (JSON lines of `OutcomeRow`). */
  outcomes: string;
  /** The latest analysis (`ExperimentAnalysis` with its inputs), which the site renders. */
  analysis: string;
}

export function experimentPaths(workspace: Workspace, slug: string, key: string): ExperimentPaths {
  const registry = join(projectPaths(workspace, slug).dir, 'experiments');
  const dir = join(registry, key);
  return {
    registry,
    dir,
    registration: join(dir, 'registration.json'),
    exposures: join(dir, 'exposures.jsonl'),
    outcomes: join(dir, 'outcomes.jsonl'),
    analysis: join(dir, 'analysis.json'),
  };
}

/** The metric ids a project's experiments may read: its per-unit metrics and `decision-value`. */
export function experimentMetricChoices(file: ProjectFile): string[] {
  const declared = file.metrics ?? metricsForTask(file.target.task).map((metric) => metric.id);
  return [
    ...declared.filter((id) => taskMetrics[id as TaskMetricId]?.aggregate !== 'rank'),
    decisionValueMetric,
  ];
}

/**
 * The problems of a project's `experiments`, each naming its field (`experiments[i].…`): arms must
 * name the project's models, metrics its per-unit metrics (AUC has none) or `decision-value`, keys
 * must be unique, experiments of one layer must not overlap, and an `expected:<model>` covariate
 * must name a model of a classification task.
 */
export function experimentProblems(file: ProjectFile): string[] {
  const experiments = file.experiments ?? [];
  const modelIds = file.models.map((model) => model.id);
  const metricIds = experimentMetricChoices(file);
  const problems: string[] = [];
  const keys = new Set<string>();
  experiments.forEach((experiment, i) => {
    const field = `experiments[${i}]`;
    if (keys.has(experiment.key)) problems.push(`${field}.key: "${experiment.key}" is declared twice.`);
    keys.add(experiment.key);
    for (const problem of experimentValidationProblems(experiment, { modelIds, metricIds })) {
      problems.push(`${field}.${problem}`);
    }
    const rank = [experiment.primaryMetric, ...experiment.secondaryMetrics].find(
      (metric) => taskMetrics[metric.metric as TaskMetricId]?.aggregate === 'rank',
    );
    if (rank) {
      problems.push(
        `${field}: "${rank.metric}" is computed from ranks over all units and has no per-unit value to compare between arms. Use one of: ${metricIds.join(', ')}.`,
      );
    }
    const covariate = experiment.cupedCovariate;
    if (covariate?.startsWith(expectedScorePrefix)) {
      const model = covariate.slice(expectedScorePrefix.length);
      if (!modelIds.includes(model)) {
        problems.push(
          `${field}.cupedCovariate: "${covariate}" names no model of the project. ${didYouMean(model, modelIds, (id) => `"${expectedScorePrefix}${id}"`)}`,
        );
      } else if (!['binary', 'multiclass', 'ordinal'].includes(file.target.task)) {
        problems.push(
          `${field}.cupedCovariate: "${covariate}" needs class probabilities; a ${file.target.task} task logs its covariate with the exposure or the outcome instead.`,
        );
      }
    }
    const usesDecisionValue = [experiment.primaryMetric, ...experiment.secondaryMetrics].some(
      (metric) => metric.metric === decisionValueMetric,
    );
    if (usesDecisionValue && file.impact.rule.rule === 'top-k') {
      problems.push(
        `${field}: "decision-value" needs a value per unit, and a top-k rule values a whole period; compare a proper score instead.`,
      );
    }
  });
  for (const [a, b] of overlappingExperiments(experiments)) {
    problems.push(
      `experiments: "${a}" and "${b}" share the layer and seed with overlapping ranges, so a unit could be in both; give them disjoint \`layer\` ranges.`,
    );
  }
  return problems;
}

/**
 * The experiment `key` declared in `project`, or `E_EXPERIMENT_UNKNOWN` naming the nearest key
 * (or saying how to declare one).
 */
export function projectExperiment(project: LoadedProject, key: string): Experiment {
  const experiments = project.file.experiments ?? [];
  const found = experiments.find((experiment) => experiment.key === key);
  if (found) return found;
  const keys = experiments.map((experiment) => experiment.key);
  throw new MlfolioError({
    code: 'E_EXPERIMENT_UNKNOWN',
    message: `${project.specFile} declares no experiment "${key}"${keys.length ? ` (it declares ${keys.map((k) => `"${k}"`).join(', ')})` : ''}.`,
    hint: keys.length
      ? didYouMean(key, keys)
      : 'Declare it under `experiments:` in the project file (see the README, "Experiments").',
  });
}
