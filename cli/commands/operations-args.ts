import { ExitCode, MlfolioError } from '../../portfolio/errors.ts';

export const dataUntilArg = {
  type: 'string',
  alias: 'data-until',
  description:
    'Use only events on or before this date (YYYY-MM-DD; for a version 2 project timed by season, a season such as 2015): replay the data as it stood then.',
} as const;

/**
 * Validates `--until`: a real calendar date or, with `season` (version 2 projects, whose events
 * may be timed by season), a season label such as `2015` or `2015-16`.
 */
export function parseDataUntil(
  raw: string | undefined,
  options: { season?: boolean } = {},
): string | undefined {
  if (raw === undefined) return undefined;
  if (options.season && /^\d{4}(-\d{2})?$/.test(raw) && !/^\d{4}-\d{2}-/.test(raw)) return raw;
  const time = Date.parse(`${raw}T00:00:00Z`);
  const valid =
    /^\d{4}-\d{2}-\d{2}$/.test(raw) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(raw);
  if (!valid) {
    throw new MlfolioError({
      code: 'E_OPTION_INVALID',
      message: `--until must be a date as YYYY-MM-DD${options.season ? ' or a season (2015, 2015-16)' : ''}; received "${raw}".`,
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
