import type { PlanInputs } from '../../experiments/experiment-plan.ts';
import { readExposureLog } from '../../experiments/exposure-log.ts';
import { experimentPaths, projectExperiment } from '../../experiments/project-experiments.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';

export interface ProjectExperimentOptions {
  json: boolean;
  amend?: string;
  history?: string;
  variance?: number;
  correlation?: number;
}

/**
 * `mlfolio experiment <action> <project> <key>`: the experiment as the project declares it, its
 * records in `content/projects/<project>/experiments/<key>/`.
 */
export async function projectExperimentCommand(
  action: 'start' | 'plan' | 'status' | 'analyze',
  slug: string,
  key: string,
  options: ProjectExperimentOptions,
): Promise<void> {
  const workspace = workspaceAt();
  const project = await loadProjectFile(workspace, slug);
  const experiment = projectExperiment(project, key);
  const paths = experimentPaths(workspace, slug, key);
  const registration = await import('../../experiments/pre-registration.ts');
  const report = await import('../../experiments/report-text.ts');
  const print = (value: unknown, text: () => string) =>
    console.log(options.json ? JSON.stringify(value, null, 2) : text());

  if (action === 'start') {
    const result =
      options.amend === undefined
        ? await registration.startExperiment(paths.registry, experiment)
        : await registration.amendExperiment(paths.registry, experiment, options.amend);
    const last = result.entries.at(-1)!;
    print(
      result,
      () =>
        `Experiment ${key} of ${slug}: ${last.kind} recorded at ${last.at} (content hash ${last.specHash.slice(0, 12)}) in ${paths.registration}`,
    );
    return;
  }
  if (action === 'plan') {
    const { planExperiment, planInputsFromHistory, readHistory } = await import(
      '../../experiments/experiment-plan.ts'
    );
    let plan: import('../../experiments/experiment-plan.ts').ExperimentPlan;
    if (options.history) {
      plan = planExperiment(
        experiment,
        planInputsFromHistory(await readHistory(options.history), options.history),
      );
    } else if (options.variance !== undefined) {
      const inputs: PlanInputs = {
        variance: options.variance,
        cupedCorrelation: options.correlation ?? 0,
        pairCorrelation: 0,
        unitsPerWeek: undefined,
        source: '--variance',
      };
      plan = planExperiment(experiment, inputs);
    } else {
      const { planProjectExperiment } = await import('../../experiments/project-plan.ts');
      plan = await planProjectExperiment(workspace, project, experiment);
    }
    print(plan, () => report.formatPlan(plan));
    return;
  }
  if (action === 'status') {
    await registration.checkRegistered(paths.registry, experiment);
    const { experimentStatus } = await import('../../experiments/experiment-status.ts');
    const status = experimentStatus(experiment, await readExposureLog(paths.exposures));
    print(status, () => report.formatStatus(status));
    return;
  }
  const { analyzeProjectExperiment } = await import('../../experiments/project-analysis.ts');
  const result = await analyzeProjectExperiment(workspace, project, key);
  print(result, () => `${report.formatAnalysis(result.analysis)}\nWritten to ${paths.analysis}`);
}
