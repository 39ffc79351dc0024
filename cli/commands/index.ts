import type { CommandDef } from 'citty';
import { collectCommand } from './collect.ts';
import { extractCommand } from './extract.ts';
import { inspectCommand } from './inspect.ts';
import { monitorCommand } from './monitor.ts';
import { publishCommand } from './publish.ts';
import { replayCommand } from './replay.ts';
import { retrainCommand } from './retrain.ts';
import { runCommand } from './run.ts';
import { runsCommand } from './runs.ts';
import { scrapeCommand } from './scrape.ts';
import { serveCommand } from './serve.ts';
import { startCommand } from './start.ts';

/** Every `mlfolio` subcommand, by name. */
// citty's CommandDef is invariant in its args, so the table holds commands of any argument shape.
// biome-ignore lint/suspicious/noExplicitAny: see above
export const commands: Record<string, CommandDef<any>> = {
  start: startCommand,
  collect: collectCommand,
  run: runCommand,
  runs: runsCommand,
  publish: publishCommand,
  serve: serveCommand,
  monitor: monitorCommand,
  retrain: retrainCommand,
  replay: replayCommand,
  scrape: scrapeCommand,
  inspect: inspectCommand,
  extract: extractCommand,
};
