import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';
import { MlfolioError } from './errors.ts';
import { parseWith } from './validate.ts';

/**
 * Parses YAML text from `file`; a syntax error becomes `code`, naming the file and the line to fix
 * (for an over-indented line, that line, not the one before it where the parser noticed).
 */
export function parseYamlText(text: string, file: string, code: string): unknown {
  try {
    return parseYaml(text, { prettyErrors: true });
  } catch (error) {
    const overIndented = error instanceof YAMLParseError ? overIndentedLine(text, error) : undefined;
    throw new MlfolioError(
      {
        code,
        message: overIndented
          ? `${file} is not valid YAML at line ${overIndented.line}: it is indented further than the field above it, so YAML reads it as part of that field's value on line ${overIndented.valueLine}:\n${overIndented.frame}`
          : `${file} is not valid YAML: ${(error as Error).message}`,
        hint: overIndented
          ? `Indent line ${overIndented.line} like the field it belongs beside, or under a field that has no value.`
          : 'Fix the YAML syntax at the line shown.',
      },
      { cause: error },
    );
  }
}

/**
 * The yaml parser reports an over-indented `key: value` line (a "nested mapping in a compact
 * mapping") at the value it would continue, on an earlier line. The line at fault is the one whose
 * `:` ends that would-be key.
 */
function overIndentedLine(
  text: string,
  error: YAMLParseError,
): { line: number; valueLine: number; frame: string } | undefined {
  if (error.code !== 'BLOCK_AS_IMPLICIT_KEY' || !error.linePos) return undefined;
  const { line: valueLine, col } = error.linePos[0];
  const lines = text.split(/\r?\n/);
  // Only a value after `key: ` can be continued by a deeper line; anything else is another mistake.
  if (!/:\s+$/.test(lines[valueLine - 1]?.slice(0, col - 1) ?? '')) return undefined;
  for (let index = valueLine; index < lines.length; index++) {
    const line = lines[index]!;
    if (/^\s*(#|$)/.test(line)) continue;
    if (!/:(\s|$)/.test(line)) continue;
    const number = index + 1;
    const frame = [valueLine, number]
      .map((n) => `${String(n).padStart(4)} | ${lines[n - 1]}`)
      .join(number === valueLine + 1 ? '\n' : '\n     …\n');
    return { line: number, valueLine, frame };
  }
  return undefined;
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
