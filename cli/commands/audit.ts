import { defineCommand } from 'citty';
import { auditProject } from '../../learning/audit/audit-project.ts';
import { formatAudit } from '../../learning/audit/format-audit.ts';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { loadAnyProject } from '../../portfolio/project-file/any-project.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { projectsFor } from './shared-args.ts';

export const auditCommand = defineCommand({
  meta: {
    name: 'audit',
    description:
      'Check projects the way an interviewer would: a verdict, the evidence and a fix hint per check. Exit status 5 when a check fails.',
  },
  args: {
    project: {
      type: 'positional',
      description: 'Project slug (a folder under content/projects/). Default: every project.',
      required: false,
    },
    json: {
      type: 'boolean',
      description: 'Print the audit as JSON (one object per project).',
      default: false,
    },
  },
  async run({ args }) {
    const workspace = workspaceAt();
    // An unknown slug fails here with the nearest valid name, before any check runs.
    if (args.project) await loadAnyProject(workspace, args.project).catch(rethrowIfUnknown);
    const audits = [];
    for (const slug of await projectsFor(workspace, args.project))
      audits.push(await auditProject(workspace, slug));
    if (args.json) console.log(JSON.stringify(audits, null, 2));
    else console.log(audits.map(formatAudit).join('\n\n'));
    const failing = audits.filter((audit) => audit.failed > 0);
    if (failing.length) {
      throw new MlfolioError({
        code: 'E_AUDIT_FAILED',
        message: `${failing
          .map((audit) => `${audit.project}: ${audit.failed} of ${audit.checks.length} checks fail`)
          .join('; ')}.`,
        hint: 'Each failing check above says what to do (→). `mlfolio audit <project> --json` gives the same for scripts.',
        exitCode: ExitCode.checkFailed,
      });
    }
  },
});

function rethrowIfUnknown(error: unknown): void {
  if (error instanceof MlfolioError && error.code === 'E_PROJECT_UNKNOWN') throw error;
}
