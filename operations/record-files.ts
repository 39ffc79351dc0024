import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { MlfolioError } from '../portfolio/errors.ts';
import { readTextIfExists } from '../portfolio/files.ts';
import { parseWith } from '../portfolio/validate.ts';

/** Reads and validates one JSON record; `undefined` when the file does not exist. */
export async function readJsonRecord<S extends z.ZodType>(
  schema: S,
  file: string,
  code: string,
): Promise<z.output<S> | undefined> {
  const text = await readTextIfExists(file);
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new MlfolioError(
      {
        code,
        message: `${file} is not valid JSON.`,
        hint: 'The operations records are written atomically, so this file was edited by hand; restore or delete it.',
      },
      { cause: error },
    );
  }
  return parseWith(schema, data, file, code);
}

/** Every `*.json` record in `dir`, validated, oldest first (file names start with a UTC timestamp). */
export async function readJsonRecords<S extends z.ZodType>(
  schema: S,
  dir: string,
  code: string,
): Promise<z.output<S>[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: z.output<S>[] = [];
  for (const name of names) {
    const record = await readJsonRecord(schema, join(dir, name), code);
    if (record !== undefined) records.push(record);
  }
  return records;
}
