import { defineCommand } from 'citty';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { terminalProgress } from '../terminal-progress.ts';

export const featuresCommand = defineCommand({
  meta: {
    name: 'features',
    description:
      "Show a project's feature views: lineage, freshness (TTL) and materialisation, offline and online; `check` recomputes them for leakage and training–serving skew.",
  },
  args: {
    project: {
      type: 'positional',
      description: 'Project slug (a version 2 project).',
      required: true,
    },
    check: {
      type: 'positional',
      description:
        '`check`: run the leakage guard and the training–serving skew check (exit status 5 on a failure).',
      required: false,
    },
    probes: {
      type: 'string',
      description: 'Leakage probes for `check` (default: the project file’s leakageGuard.probes).',
    },
    json: { type: 'boolean', description: 'Print JSON.', default: false },
  },
  async run({ args }) {
    if (args.check !== undefined && args.check !== 'check') {
      throw new MlfolioError({
        code: 'E_USAGE',
        message: `mlfolio features ${args.project} ${args.check}: the only subcommand is \`check\`.`,
        hint: `Run \`mlfolio features ${args.project}\` to list the views, or \`mlfolio features ${args.project} check\`.`,
        exitCode: ExitCode.usage,
      });
    }
    const workspace = workspaceAt();
    const progress = terminalProgress(process.stderr, `[${args.project}] `);
    const project = await loadAnyProject(workspace, args.project, { notice: (m) => progress.info(m) });
    const { inspectFeatures } = await import('../../pipelines/engine/inspect-features.ts');
    const report = await inspectFeatures(workspace, project.declared, {
      check: args.check === 'check',
      ...(args.probes ? { probes: Number(args.probes) } : {}),
      progress,
    });
    if (args.json) console.log(JSON.stringify(report, null, 2));
    else console.log(report.text);
    if (report.check && !report.check.passed) {
      throw new MlfolioError({
        code: 'E_FEATURE_CHECK_FAILED',
        message: `${args.project}: ${report.check.problems.join(' ')}`,
        hint: 'Fix the view named above in the project file, then run the check again.',
        exitCode: ExitCode.checkFailed,
      });
    }
  },
});
