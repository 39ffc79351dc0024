import type { ArgDef, CommandDef } from 'citty';
import { ExitCode, MlfolioError } from '../portfolio/errors.ts';

/**
 * The usage error (exit status 2) for a required positional argument left out of `mlfolio
 * <command>`, `upperName` as citty names it (`PROJECT`): what the argument is and how to give it.
 */
export function missingArgumentError(command: string, def: CommandDef, upperName: string): MlfolioError {
  if (upperName === 'PROJECT') {
    return new MlfolioError({
      code: 'E_PROJECT_MISSING',
      message: `\`mlfolio ${command}\` needs a project.`,
      hint: `Run \`mlfolio ${command} <project>\`: a project is named by its folder in content/projects/.`,
      exitCode: ExitCode.usage,
    });
  }
  const spec = Object.entries((def.args ?? {}) as Record<string, ArgDef>).find(
    ([key]) => key.toUpperCase() === upperName,
  )?.[1];
  return new MlfolioError({
    code: 'E_ARGUMENT_MISSING',
    message: `\`mlfolio ${command}\` needs <${upperName}>${spec?.description ? `: ${spec.description}` : '.'}`,
    hint: `Run \`mlfolio ${command} <${upperName}>\`; see \`mlfolio ${command} --help\`.`,
    exitCode: ExitCode.usage,
  });
}
