import type { CommandDef } from 'citty';
import { collectCommand } from './collect.ts';
import { publishCommand } from './publish.ts';
import { runCommand } from './run.ts';
import { runsCommand } from './runs.ts';
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
};
