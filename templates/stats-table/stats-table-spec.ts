import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { MlfolioError } from '../../portfolio/errors.ts';
import { parseWith } from '../../portfolio/validate.ts';
import { type SourceFile, sourceFileSchema } from '../../scrapers/source-file.ts';

/**
 * The project file of a stats-table project, as `mlfolio new --template stats-table` writes it. Its
 * data comes from a `mlfolio scrape` source file beside it. The pipeline does not run this task yet;
 * the files are validated so a builder starts from fields that all mean something, and `npm start`
 * treats the project as a draft.
 */
export const statsTableSpecSchema = z.strictObject({
  title: z.string().min(1),
  summary: z.string().min(1),
  question: z.string().min(1),
  whyItMatters: z.string().min(1),
  task: z.literal('stats-table'),
  /** A `mlfolio scrape` source file of kind html-stats-table, relative to the project folder. */
  source: z.strictObject({ file: z.string().regex(/\.ya?ml$/) }),
  /** The season each URL of the source holds, in the same order. */
  seasons: z.array(z.string().regex(/^\d{4}-\d{2}$/)).min(2),
  /** The column naming a row (team or player), used to join consecutive seasons. */
  rowKey: z.string().min(1),
  target: z.strictObject({ column: z.string().min(1), kind: z.enum(['regression', 'classification']) }),
  features: z.array(z.string().min(1)).min(1),
  split: z.strictObject({ by: z.literal('season'), testSeasons: z.number().int().positive() }),
  models: z.array(z.strictObject({ id: z.string(), kind: z.string() })).min(2),
  seed: z.number().int(),
  tags: z.array(z.string()).default([]),
});
export type StatsTableSpec = z.output<typeof statsTableSpecSchema>;

/**
 * Validates a stats-table project file (`projectText`, read from `projectFile`) and its source file
 * against each other: the source must be an html-stats-table source with one URL per season, and
 * the row key, target and features must be columns the source extracts. Errors name the file and field.
 */
export async function validateStatsTableProject(
  projectText: string,
  projectFile: string,
  readSource: (file: string) => Promise<string> = (file) => readFile(file, 'utf8'),
): Promise<{ spec: StatsTableSpec; source: SourceFile }> {
  const spec = parseWith(statsTableSpecSchema, parseYaml(projectText), projectFile, 'E_PROJECT_FILE_INVALID');
  const sourceFile = join(dirname(projectFile), spec.source.file);
  let sourceText: string;
  try {
    sourceText = await readSource(sourceFile);
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_PROJECT_FILE_INVALID',
        message: `${projectFile}: source.file is "${spec.source.file}", but ${sourceFile} cannot be read.`,
        hint: 'Point source.file at the scrape source file beside project.yaml (`mlfolio new` writes source.yaml).',
      },
      { cause: error },
    );
  }
  const parsed = parseWith(sourceFileSchema, parseYaml(sourceText), sourceFile, 'E_SOURCE_FILE_INVALID');
  if (parsed.kind !== 'html-stats-table') {
    throw new MlfolioError({
      code: 'E_SOURCE_FILE_INVALID',
      message: `${sourceFile}: kind is "${parsed.kind}"; a stats-table project reads kind "html-stats-table".`,
      hint: 'Set `kind: html-stats-table` and list the pages in `urls`.',
    });
  }
  const source = { ...parsed, name: parsed.name ?? 'source' };
  const problems: string[] = [];
  if (spec.seasons.length !== parsed.urls.length) {
    problems.push(
      `seasons: ${spec.seasons.length} season(s) for ${parsed.urls.length} URL(s) in ${sourceFile}; give one season per URL, in the same order.`,
    );
  }
  const columns = Object.keys(parsed.table.columns);
  const named: [string, string][] = [
    ['rowKey', spec.rowKey],
    ['target.column', spec.target.column],
    ...spec.features.map((feature, i): [string, string] => [`features[${i}]`, feature]),
  ];
  for (const [field, name] of named) {
    if (!columns.includes(name)) {
      problems.push(
        `${field}: "${name}" is not a column of table.columns in ${sourceFile} (${columns.join(', ')}).`,
      );
    }
  }
  if (problems.length) {
    throw new MlfolioError({
      code: 'E_PROJECT_FILE_INVALID',
      message: `${projectFile} is not valid:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`,
      hint: `Fix the field${problems.length > 1 ? 's' : ''} above in ${projectFile} and run the command again.`,
    });
  }
  return { spec, source };
}
