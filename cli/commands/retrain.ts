import { relative } from 'node:path';
import { defineCommand } from 'citty';
import type { DecisionRecord } from '../../operations/decision-record.ts';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { terminalProgress } from '../terminal-progress.ts';
import { dataUntilArg, parseDataUntil, requiredProjectArg } from './operations-args.ts';

export const retrainCommand = defineCommand({
  meta: {
    name: 'retrain',
    description:
      'Rerun the engine on the current data and promote its best model only if it beats the deployed one on the same held-out period by a margin whose 95% paired-bootstrap interval excludes zero. Records the decision.',
  },
  args: {
    project: requiredProjectArg,
    until: dataUntilArg,
    margin: {
      type: 'string',
      description:
        'Improvement beyond zero the whole interval must clear, in primary-metric units (default 0).',
    },
  },
  async run({ args }) {
    const slug = args.project;
    const workspace = workspaceAt();
    const dataUntil = parseDataUntil(args.until, { season: true });
    const margin = args.margin === undefined ? 0 : Number(args.margin);
    if (!Number.isFinite(margin) || margin < 0) {
      throw new MlfolioError({
        code: 'E_OPTION_INVALID',
        message: `--margin must be a non-negative number; received "${args.margin}".`,
        exitCode: ExitCode.usage,
      });
    }
    const options = {
      margin,
      progress: terminalProgress(process.stderr, `[${slug}] `),
      ...(dataUntil ? { dataUntil } : {}),
    };
    // A version 1 file arrives upgraded (with a one-line notice).
    const project = await loadProjectFile(workspace, slug);
    const { retrainTaskProject } = await import('../../operations/retrain-task.ts');
    const { record, file }: { record: DecisionRecord; file: string } = await retrainTaskProject(
      workspace,
      project,
      options,
    );
    const who = (m: typeof record.champion) => `${m.modelId} of run ${m.runId}`;
    console.log(
      `${slug}: ${record.verdict === 'promote' ? `PROMOTED ${who(record.challenger)}` : `KEPT ${who(record.champion)}`}`,
    );
    console.log(`  ${record.reason}`);
    console.log(`Recorded in ${relative(process.cwd(), file)}`);
  },
});
