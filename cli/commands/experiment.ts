import { dirname } from 'node:path';
import { defineCommand } from 'citty';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { didYouMean } from '../../portfolio/suggest.ts';

const actions = ['start', 'plan', 'status', 'analyze'] as const;

export const experimentCommand = defineCommand({
  meta: {
    name: 'experiment',
    description:
      "Plan, start, follow and analyse an A/B or shadow experiment a project declares (`mlfolio experiment <action> <project> <experiment>`; records in the project's experiments/<key>/) or one in a file: `start` pre-registers it; `plan` gives power and MDE (A/B and shadow, with and without CUPED); `status` reads the exposure log (units per arm, SRM); `analyze` joins outcomes and decides (ship, keep control, continue).",
  },
  args: {
    action: { type: 'positional', description: `One of ${actions.join(', ')}.`, required: true },
    experiment: {
      type: 'positional',
      description:
        'Project slug (then the experiment key), or an experiment declaration file (YAML or JSON).',
      required: true,
    },
    key: {
      type: 'positional',
      description: 'The experiment key, when the first argument is a project.',
      required: false,
    },
    models: {
      type: 'string',
      description:
        "The project's model ids, comma-separated, to check the arms against (default: the arms as given).",
    },
    registry: {
      type: 'string',
      description: 'Folder of pre-registrations (default: the experiment file’s folder).',
    },
    amend: {
      type: 'string',
      description: '`start` on a started experiment: record the edit as an amendment with this reason.',
    },
    exposures: { type: 'string', description: 'Exposure log (JSON lines), for status and analyze.' },
    outcomes: {
      type: 'string',
      description: 'Outcomes (JSON lines of {unit, outcome, values, covariates}), for analyze.',
    },
    history: {
      type: 'string',
      description:
        'For plan: JSON lines of {at, control, treatment?, covariate?} per past unit (the metric under each model).',
    },
    variance: {
      type: 'string',
      description: 'For plan without history: per-unit variance of the primary metric.',
    },
    correlation: {
      type: 'string',
      description: 'For plan without history: correlation of the metric with the CUPED covariate.',
    },
    json: { type: 'boolean', description: 'Print JSON instead of text.', default: false },
  },
  async run({ args }) {
    const action = args.action as (typeof actions)[number];
    if (!actions.includes(action)) {
      throw new MlfolioError({
        code: 'E_USAGE',
        message: `\`mlfolio experiment\` has no action "${args.action}".`,
        hint: `${didYouMean(args.action, actions)} See \`mlfolio experiment --help\`.`,
        exitCode: ExitCode.usage,
      });
    }
    if (args.key !== undefined) {
      const { projectExperimentCommand } = await import('./project-experiment-command.ts');
      await projectExperimentCommand(action, args.experiment, args.key, {
        json: args.json,
        ...(args.amend === undefined ? {} : { amend: args.amend }),
        ...(args.variance === undefined ? {} : { variance: positiveNumber('variance', args.variance) }),
        ...(args.correlation === undefined ? {} : { correlation: correlationOption(args.correlation) }),
        ...(args.history === undefined ? {} : { history: args.history }),
      });
      return;
    }
    const { readExperimentFile } = await import('../../experiments/experiment-file.ts');
    const models = args.models
      ?.split(',')
      .map((m: string) => m.trim())
      .filter(Boolean);
    const experiment = await readExperimentFile(args.experiment, models ? { modelIds: models } : {});
    const registry = args.registry ?? dirname(args.experiment);
    const print = (value: unknown, text: () => string) =>
      console.log(args.json ? JSON.stringify(value, null, 2) : text());
    const registration = await import('../../experiments/pre-registration.ts');
    const report = await import('../../experiments/report-text.ts');

    if (action === 'start') {
      const result =
        args.amend === undefined
          ? await registration.startExperiment(registry, experiment)
          : await registration.amendExperiment(registry, experiment, args.amend);
      const last = result.entries.at(-1)!;
      print(
        result,
        () =>
          `Experiment ${experiment.key}: ${last.kind} recorded at ${last.at} (content hash ${last.specHash.slice(0, 12)}) in ${registration.registrationFile(registry, experiment.key)}`,
      );
      return;
    }
    if (action === 'plan') {
      const { planExperiment, planInputsFromHistory, readHistory } = await import(
        '../../experiments/experiment-plan.ts'
      );
      let inputs: import('../../experiments/experiment-plan.ts').PlanInputs;
      if (args.history) inputs = planInputsFromHistory(await readHistory(args.history), args.history);
      else if (args.variance) {
        inputs = {
          variance: positiveNumber('variance', args.variance),
          cupedCorrelation: args.correlation ? correlationOption(args.correlation) : 0,
          pairCorrelation: 0,
          unitsPerWeek: undefined,
          source: '--variance',
        };
      } else {
        throw new MlfolioError({
          code: 'E_USAGE',
          message:
            '`mlfolio experiment plan` needs the metric’s variance: pass --history <file> or --variance <number>.',
          hint: 'The history is the primary metric per past unit under the control model (its backtest).',
          exitCode: ExitCode.usage,
        });
      }
      const plan = planExperiment(experiment, inputs);
      print(plan, () => report.formatPlan(plan));
      return;
    }
    // status and analyze read what was logged, and only for the experiment as registered.
    await registration.checkRegistered(registry, experiment);
    if (!args.exposures) {
      throw new MlfolioError({
        code: 'E_USAGE',
        message: `\`mlfolio experiment ${action}\` needs --exposures <log>.`,
        hint: 'Pass the exposure log the server wrote.',
        exitCode: ExitCode.usage,
      });
    }
    const { readExposureLog } = await import('../../experiments/exposure-log.ts');
    const log = await readExposureLog(args.exposures);
    if (action === 'status') {
      const { experimentStatus } = await import('../../experiments/experiment-status.ts');
      const status = experimentStatus(experiment, log);
      print(status, () => report.formatStatus(status));
      return;
    }
    if (!args.outcomes) {
      throw new MlfolioError({
        code: 'E_USAGE',
        message: '`mlfolio experiment analyze` needs --outcomes <file>.',
        hint: 'Pass the outcomes file (JSON lines of {unit, outcome}).',
        exitCode: ExitCode.usage,
      });
    }
    const { readOutcomes } = await import('../../experiments/outcome-join.ts');
    const { analyzeExperiment } = await import('../../experiments/analysis.ts');
    const analysis = analyzeExperiment(experiment, log.exposures, await readOutcomes(args.outcomes));
    print(analysis, () => report.formatAnalysis(analysis));
  },
});

function positiveNumber(name: string, value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > 0)) {
    throw new MlfolioError({
      code: 'E_USAGE',
      message: `--${name} must be a positive number; received "${value}".`,
      exitCode: ExitCode.usage,
    });
  }
  return n;
}

function correlationOption(value: string): number {
  const n = Number(value);
  if (!(Number.isFinite(n) && n > -1 && n < 1)) {
    throw new MlfolioError({
      code: 'E_USAGE',
      message: `--correlation must be between −1 and 1 (exclusive); received "${value}".`,
      exitCode: ExitCode.usage,
    });
  }
  return n;
}
