import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';

export const dataUntilArg = {
  type: 'string',
  description:
    'Use only matches played on or before this date (YYYY-MM-DD): replay the data as it stood then.',
} as const;

/** Validates `--until`: a real calendar date. */
export function parseDataUntil(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const time = Date.parse(`${raw}T00:00:00Z`);
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(raw);
  if (!valid) {
    throw new MlfolioError({
      code: 'E_OPTION_INVALID',
      message: `--until must be a date as YYYY-MM-DD; received "${raw}".`,
      exitCode: ExitCode.usage,
    });
  }
  return raw;
}

/** The project a command cannot do without; left out, it is a usage error naming the projects. */
export const requiredProjectArg = {
  type: 'positional',
  description: 'Project slug (a folder under content/projects/).',
  required: true,
} as const;
