import { defineCommand } from 'citty';
import { buildPlan, clockToday } from '../../learning/path/build-plan.ts';
import { formatPlan, formatStatus } from '../../learning/path/format-plan.ts';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { didYouMean } from '../../portfolio/suggest.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';

const views = ['plan', 'status'] as const;

export const pathCommand = defineCommand({
  meta: {
    name: 'path',
    description:
      'Plan the skills and projects to build next from content/profile.yaml (`mlfolio path`), or show progress measured by the audit of your projects (`mlfolio path status`).',
  },
  args: {
    view: { type: 'positional', description: 'plan (default) or status.', required: false },
    profile: { type: 'string', description: 'Profile file to plan from. Default: content/profile.yaml.' },
    json: { type: 'boolean', description: 'Print the plan as JSON.', default: false },
  },
  async run({ args }) {
    const view = args.view ?? 'plan';
    if (!views.includes(view as (typeof views)[number])) {
      throw new MlfolioError({
        code: 'E_UNKNOWN_VIEW',
        message: `\`mlfolio path\` has no view "${view}".`,
        hint: didYouMean(view, views),
        exitCode: ExitCode.usage,
      });
    }
    const { plan } = await buildPlan(workspaceAt(), {
      today: clockToday(),
      ...(args.profile ? { profileFile: args.profile } : {}),
    });
    if (args.json) console.log(JSON.stringify(plan, null, 2));
    else console.log(view === 'status' ? formatStatus(plan) : formatPlan(plan));
  },
});
