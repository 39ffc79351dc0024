import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { MlfolioError } from './errors.ts';
import { parseWith } from './validate.ts';

/** Parses YAML text from `file`; a syntax error becomes `code`, naming the file and line. */
export function parseYamlText(text: string, file: string, code: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (error) {
    throw new MlfolioError(
      {
        code,
        message: `${file} is not valid YAML: ${(error as Error).message}`,
        hint: 'Fix the YAML syntax at the line shown.',
      },
      { cause: error },
    );
  }
}

/**
 * Reads a YAML file and validates it with `schema`. A missing file throws `missing`; a syntax
 * error or an invalid field throws `invalidCode`, naming the file and the field.
 */
export async function readYamlFile<S extends z.ZodType>(
  file: string,
  schema: S,
  errors: { missing: { code: string; message: string; hint: string }; invalidCode: string },
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new MlfolioError(errors.missing, { cause: error });
  }
  return parseWith(schema, parseYamlText(text, file, errors.invalidCode), file, errors.invalidCode);
}
