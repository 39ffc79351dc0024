import { type CommandDef, runCommand } from 'citty';
import { ExitCode, isMlfolioError, MlfolioError } from '../portfolio/errors.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import { commands } from './commands/index.ts';
import { helpStyleFor, optionName, renderHelp } from './help-text.ts';
import { missingArgumentError } from './missing-argument.ts';

export const rootCommand: CommandDef = {
  meta: {
    name: 'mlfolio',
    version: '0.1.0',
    description: [
      'Build an ML portfolio end to end: collect public data, run honest pipelines, publish the site.',
      '',
      'Exit status:',
      '  0  ok',
      '  1  internal error (a bug: please report it)',
      '  2  usage error (unknown command, option or project)',
      '  3  invalid input (project file, dataset, page)',
      '  4  source unavailable (retry later)',
      '  5  a check failed',
    ].join('\n'),
  },
  subCommands: commands,
};

/** Runs the CLI with `argv` and returns the exit status. Never calls `process.exit`. */
export async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  const name = args.find((arg) => !arg.startsWith('-'));
  const sub = name && Object.hasOwn(commands, name) ? await commands[name]!() : undefined;
  const help = args.includes('--help') || args.includes('-h');
  if ((help && (sub || !name)) || args.length === 0) {
    const text = await renderHelp(
      (sub ?? rootCommand) as CommandDef,
      sub ? rootCommand : undefined,
      helpStyleFor(process.stdout),
    );
    process.stdout.write(text);
    return args.length === 0 ? ExitCode.usage : ExitCode.ok;
  }
  if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
    console.log((rootCommand.meta as { version: string }).version);
    return ExitCode.ok;
  }
  try {
    if (!name || !sub) {
      throw new MlfolioError({
        code: 'E_UNKNOWN_COMMAND',
        message: `Unknown command "${name ?? args[0]}".`,
        hint: `${didYouMean(name ?? '', Object.keys(commands))} Run \`mlfolio --help\` for the list.`,
        exitCode: ExitCode.usage,
      });
    }
    rejectUnknownFlags(name, sub as CommandDef, args.slice(args.indexOf(name) + 1));
    await runCommand(rootCommand, { rawArgs: args });
    return typeof process.exitCode === 'number' ? process.exitCode : ExitCode.ok;
  } catch (error) {
    if (isMlfolioError(error)) {
      console.error(`\n${error.format()}`);
      return error.exitCode;
    }
    if (isArgumentError(error)) {
      const missing = /^Missing required positional argument: (\w+)/.exec(error.message)?.[1];
      const usage = missing
        ? missingArgumentError(name ?? '', sub as CommandDef, missing)
        : new MlfolioError({
            code: 'E_USAGE',
            message: `${stripAnsi(error.message)}.`.replace(/\.\.$/, '.'),
            hint: `See \`mlfolio ${name ?? ''} --help\`.`.replace('  ', ' '),
            exitCode: ExitCode.usage,
          });
      console.error(`\n${usage.format()}`);
      return ExitCode.usage;
    }
    console.error('\nE_INTERNAL: an unexpected error, which is a bug in mlfolio. Details:\n', error);
    return ExitCode.internal;
  }
}

/** Unknown or misspelt flags fail loudly, naming the nearest valid one. */
function rejectUnknownFlags(command: string, def: CommandDef, args: readonly string[]): void {
  const defined = (def.args ?? {}) as Record<string, { alias?: string | string[] }>;
  const valid = new Set<string>();
  for (const [key, spec] of Object.entries(defined)) {
    valid.add(key);
    valid.add(key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
    for (const alias of [spec.alias ?? []].flat()) valid.add(alias);
  }
  for (const arg of args) {
    if (arg === '--') break;
    if (!arg.startsWith('-')) continue;
    const flag = arg.replace(/^-+/, '').split('=')[0]!.replace(/^no-/, '');
    if (!valid.has(flag)) {
      throw new MlfolioError({
        code: 'E_UNKNOWN_OPTION',
        message: `\`mlfolio ${command}\` has no option "${arg}".`,
        hint: `${didYouMean(
          flag,
          [...valid].filter((v) => v.length > 1),
          (option) => `\`${optionName(option)}\``,
        )} See \`mlfolio ${command} --help\`.`,
        exitCode: ExitCode.usage,
      });
    }
  }
}

/** citty's own errors for missing or invalid arguments (it does not export its error class). */
function isArgumentError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'CLIError' && (error as { code?: string }).code === 'EARG';
}

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}
