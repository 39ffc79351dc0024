import { userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { defineCommand } from 'citty';
import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';

export const labelCommand = defineCommand({
  meta: {
    name: 'label',
    description:
      'Label items of a labelling task on a local, keyboard-only page (loopback only): a key per label, Enter accepts the suggestion, Backspace undoes, arrows move. Every label is in the log before the page moves on.',
  },
  args: {
    task: {
      type: 'positional',
      required: true,
      description: 'A labelling task file (YAML or JSON), or a folder holding label-task.yaml.',
    },
    store: {
      type: 'string',
      description: 'The label log (default: labels/<task name>.labels.jsonl beside the task file).',
    },
    annotator: { type: 'string', description: 'Who is labelling (default: your user name).' },
    host: { type: 'string', description: 'Loopback address to bind (default 127.0.0.1).' },
    port: { type: 'string', description: 'Port (default 4323; 0 picks a free one).' },
    fsync: {
      type: 'boolean',
      description:
        'Flush each label to disk before acknowledging it (default). --no-fsync acknowledges once the OS has it: survives kill -9, not a power cut.',
      default: true,
    },
  },
  async run({ args }) {
    const { loadTaskFile, findTaskFile } = await import('../../labelling/load-task.ts');
    const { startLabelServer } = await import('../../labelling/label-server.ts');
    const file = await findTaskFile(resolve(args.task));
    const task = await loadTaskFile(file);
    const port = args.port === undefined ? 4323 : Number(args.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new MlfolioError({
        code: 'E_USAGE',
        message: `--port must be an integer from 0 to 65535; received "${args.port}".`,
        hint: 'Use 0 for a free port.',
        exitCode: ExitCode.usage,
      });
    }
    const storePath = resolve(
      args.store ?? join(dirname(file), 'labels', `${task.declaration.name}.labels.jsonl`),
    );
    const server = await startLabelServer({
      task,
      storePath,
      annotator: args.annotator ?? userInfo().username,
      ...(args.host ? { host: args.host } : {}),
      port,
      durability: args.fsync === false ? 'write' : 'fsync',
    });
    const { torn, records } = server.store.opened;
    if (torn)
      console.error(
        `The log's last line was cut short by a crash (never acknowledged); moved to ${storePath}.torn.`,
      );
    console.error(`${task.items.length} items, ${records} log records in ${storePath}.`);
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
