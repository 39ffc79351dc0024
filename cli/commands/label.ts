import { stat } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { type ExportFormat, exportFormatOf } from '../../labelling/export-format.ts';
import type { Task } from '../../labelling/load-task.ts';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';
import { projectPaths, workspaceAt } from '../../portfolio/workspace.ts';

export const labelCommand = defineCommand({
  meta: {
    name: 'label',
    description:
      "Label items of a labelling task on a local, keyboard-only page (loopback only): a key per label, Enter accepts the suggestion, Backspace undoes, arrows move. Every label is in the log before the page moves on. With a project, `--functions` records its labelling functions' labels and `--report` measures what the labels were worth; `--export` and `--import` move labels to and from files (JSONL, CSV, Label Studio JSON).",
  },
  args: {
    task: {
      type: 'positional',
      required: true,
      description:
        'A project slug (its labelling task), or a labelling task file (YAML or JSON), or a folder holding label-task.yaml.',
    },
    name: {
      type: 'positional',
      required: false,
      description: "With a project: the task's name (needed when the project declares several).",
    },
    store: {
      type: 'string',
      description:
        'The label log (default: labels/<task name>.labels.jsonl beside the task file, or in the project folder).',
    },
    annotator: {
      type: 'string',
      description:
        'Who is labelling (default: your user name). Say what you are: an AI agent labels as e.g. ai-agent:<model>.',
    },
    host: { type: 'string', description: 'Loopback address to bind (default 127.0.0.1).' },
    port: { type: 'string', description: 'Port (default 4323; 0 picks a free one).' },
    fsync: {
      type: 'boolean',
      description:
        'Flush each label to disk before acknowledging it (default). --no-fsync acknowledges once the OS has it: survives kill -9, not a power cut.',
      default: true,
    },
    functions: {
      type: 'boolean',
      description:
        "With a project: record each labelling function's labels in the log (annotator labelling-function:<name>) and exit.",
      default: false,
    },
    report: {
      type: 'boolean',
      description:
        'With a project: measure the labels (agreement, gold accuracy, error audit, learning curves, effect on the models) and write labels/<task>.report.json.',
      default: false,
    },
    export: {
      type: 'string',
      valueHint: 'file',
      description:
        "Write the current labels (one per item and annotator) to this file and exit; the format is --format's, else the extension's: .jsonl, .csv, .json (Label Studio).",
    },
    format: {
      type: 'string',
      valueHint: 'jsonl|csv|label-studio',
      description: 'With --export: jsonl, csv or label-studio.',
    },
    import: {
      type: 'string',
      valueHint: 'file.json',
      description:
        'Append the labels of a Label Studio JSON export, as the annotators it names (or --annotator), and exit; validates the whole file first, and labels already current are not added again.',
    },
  },
  async run({ args }) {
    const transfer = transferOf(args);
    const workspace = workspaceAt();
    const asFile = await stat(resolve(args.task)).catch(() => undefined);
    const asProject = asFile
      ? undefined
      : await stat(projectPaths(workspace, args.task).specFile).catch(() => undefined);
    let task: Task;
    let storePath: string;
    let settled: Set<string> | undefined;
    if (asProject) {
      const { loadProjectFile } = await import('../../portfolio/project-file/load.ts');
      const { loadProjectTask, projectLabelLogPath, readLabelSnapshot, isLabellingFunction } = await import(
        '../../labelling/project-task.ts'
      );
      const project = await loadProjectFile(workspace, args.task, { notice: (m) => console.error(m) });
      task = await loadProjectTask(workspace, project, args.name);
      storePath = resolve(args.store ?? projectLabelLogPath(workspace, project.slug, task.declaration.name));
      if (transfer) return runTransfer(transfer, task, storePath, args);
      if (args.functions) return recordFunctionLabels(task, storePath);
      if (args.report) {
        const { writeLabelReport } = await import('../../labelling/label-report.ts');
        const { path, report } = await writeLabelReport(workspace, project, task, storePath);
        console.log(report.summary.join('\n'));
        console.error(`Written to ${path}.`);
        return;
      }
      const snapshot = readLabelSnapshot(storePath);
      settled = new Set(snapshot.current.filter((l) => isLabellingFunction(l.annotator)).map((l) => l.item));
    } else {
      if (args.functions || args.report || args.name !== undefined) {
        throw new MlfolioError({
          code: 'E_USAGE',
          message: `"${args.task}" is not a project of this portfolio${asFile ? ' but a task file' : ''}; a task name, --functions and --report need a project.`,
          hint: 'Pass a project slug (content/projects/<slug>) whose project.yaml declares a labelling task.',
          exitCode: ExitCode.usage,
        });
      }
      const { loadTaskFile, findTaskFile } = await import('../../labelling/load-task.ts');
      const file = await findTaskFile(resolve(args.task));
      task = await loadTaskFile(file);
      storePath = resolve(
        args.store ?? join(dirname(file), 'labels', `${task.declaration.name}.labels.jsonl`),
      );
      if (transfer) return runTransfer(transfer, task, storePath, args);
    }
    const { startLabelServer } = await import('../../labelling/label-server.ts');
    const port = args.port === undefined ? 4323 : Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new MlfolioError({
        code: 'E_USAGE',
        message: `--port must be an integer from 0 to 65535; received "${args.port}".`,
        hint: 'Use 0 for a free port.',
        exitCode: ExitCode.usage,
      });
    }
    const server = await startLabelServer({
      task,
      storePath,
      annotator: args.annotator ?? userInfo().username,
      ...(args.host ? { host: args.host } : {}),
      port,
      durability: args.fsync === false ? 'write' : 'fsync',
      ...(settled ? { settled } : {}),
    });
    const { torn, records } = server.store.opened;
    if (torn)
      console.error(
        `The log's last line was cut short by a crash (never acknowledged); moved to ${storePath}.torn.`,
      );
    console.error(
      `${task.items.length} items (${server.session.queue.length} in the queue${settled?.size ? `; ${settled.size} settled by labelling functions` : ''}), ${records} log records in ${storePath}.`,
    );
    console.log(`Labelling "${task.declaration.name}" at ${server.url} — Ctrl-C stops.`);
    await new Promise<void>((done) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close().then(done, done);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    console.error('Stopped; the label log is closed.');
  },
});

/** Records the task's labelling-function labels in the log (taking its lock), once each. */
async function recordFunctionLabels(task: Task, storePath: string): Promise<void> {
  const { LabelStore } = await import('../../labelling/label-store.ts');
  const { labellingFunctionSubmissions } = await import('../../labelling/project-task.ts');
  const store = await LabelStore.open(task, storePath);
  try {
    const submissions = labellingFunctionSubmissions(task, store.state);
    if (submissions.length) store.submitMany(submissions, 'labelling functions');
    const items = new Set(submissions.map((s) => s.item));
    console.log(
      `${submissions.length} label(s) by ${task.declaration.labellingFunctions.length} labelling function(s) on ${items.size} item(s) recorded in ${storePath}.`,
    );
  } finally {
    store.close();
  }
}

type Transfer = { kind: 'export'; file: string; format: ExportFormat } | { kind: 'import'; file: string };

/** The export or import asked for, checked before anything loads; undefined for labelling. */
function transferOf(args: {
  export?: string;
  import?: string;
  format?: string;
  functions?: boolean;
  report?: boolean;
}): Transfer | undefined {
  const usage = (message: string, hint: string) =>
    new MlfolioError({ code: 'E_USAGE', message, hint, exitCode: ExitCode.usage });
  if (args.export !== undefined && args.import !== undefined)
    throw usage('--export and --import cannot be given together.', 'Run the command once for each.');
  const file = args.export ?? args.import;
  if (file === undefined) {
    if (args.format !== undefined)
      throw usage('--format goes with --export.', 'Add --export <file>, or leave --format out.');
    return undefined;
  }
  if (args.functions || args.report)
    throw usage(
      `--${args.export !== undefined ? 'export' : 'import'} cannot be combined with --functions or --report.`,
      'Run them one after the other.',
    );
  if (args.import !== undefined) {
    if (args.format !== undefined && args.format !== 'label-studio')
      throw usage(
        `--import reads Label Studio JSON only; received --format "${args.format}".`,
        'Leave --format out, or export from Label Studio with "JSON".',
      );
    return { kind: 'import', file: resolve(file) };
  }
  return { kind: 'export', file: resolve(file), format: exportFormatOf(file, args.format) };
}

/** Runs an export or import on the task's log and says what it did. */
async function runTransfer(
  transfer: Transfer,
  task: Task,
  storePath: string,
  args: { annotator?: string; fsync?: boolean },
): Promise<void> {
  const { exportLabels, importLabelStudio } = await import('../../labelling/label-transfer.ts');
  if (transfer.kind === 'export') {
    const { labels, items, logExists } = await exportLabels(task, storePath, transfer.file, transfer.format);
    if (!logExists) console.error(`There is no label log at ${storePath} yet (check --store).`);
    console.log(
      `${labels} current label(s) (one per item and annotator) on ${items} item(s) of ${storePath} written to ${transfer.file} (${transfer.format}).`,
    );
    return;
  }
  const result = await importLabelStudio(task, storePath, transfer.file, {
    ...(args.annotator ? { annotator: args.annotator } : {}),
    durability: args.fsync === false ? 'write' : 'fsync',
  });
  if (result.torn)
    console.error(
      `The log's last line was cut short by a crash (never acknowledged); moved to ${storePath}.torn.`,
    );
  console.log(
    `${result.added} label(s) added to ${storePath} from ${transfer.file}${result.annotators.length ? ` (annotator(s): ${result.annotators.join(', ')})` : ''}; ${result.unchanged} already current.`,
  );
}
