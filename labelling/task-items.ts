import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { MlfolioError } from '../portfolio/errors.ts';
import type { CellValue, NameListSpec, TableItemsSpec } from './task-spec.ts';

/** One thing to label: its id, the context the page shows, and an optional numeric feature vector. */
export interface LabelItem {
  id: string;
  context: Record<string, CellValue>;
  features?: number[];
}

/** Reads the rows of a `.csv`, `.jsonl` or `.json` file; CSV cells stay strings. */
export async function readRows(path: string): Promise<Record<string, CellValue>[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_LABEL_ITEMS_MISSING',
        message: `The items file ${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
        hint: 'Check items.path in the task file; it is relative to the task file.',
      },
      { cause: error },
    );
  }
  const extension = extname(path).toLowerCase();
  try {
    if (extension === '.csv') return parseCsv(text, { columns: true, skip_empty_lines: true, bom: true });
    if (extension === '.jsonl') {
      return text
        .split('\n')
        .filter((line) => line.trim())
        .map((line) => JSON.parse(line) as Record<string, CellValue>);
    }
    if (extension === '.json') return JSON.parse(text) as Record<string, CellValue>[];
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_LABEL_ITEMS_INVALID',
        message: `The items file ${path} cannot be parsed: ${(error as Error).message}`,
        hint: 'Fix the file, or point items.path at a valid .csv, .jsonl or .json file.',
      },
      { cause: error },
    );
  }
  throw new MlfolioError({
    code: 'E_LABEL_ITEMS_FORMAT',
    message: `The items file ${path} has the extension "${extension}", which mlfolio cannot read.`,
    hint: 'Use a .csv, .jsonl or .json (array of rows) file.',
  });
}

/** The items of a table: one per row, identified by `idField`, which must be present and unique. */
export function itemsFromRows(
  rows: readonly Record<string, CellValue>[],
  spec: TableItemsSpec,
  source: string,
): LabelItem[] {
  const seen = new Set<string>();
  const items: LabelItem[] = [];
  const first = rows[0];
  if (first) {
    for (const field of [spec.idField, ...spec.contextFields, ...spec.featureFields]) {
      if (!(field in first)) {
        throw new MlfolioError({
          code: 'E_LABEL_ITEMS_FIELD',
          message: `${source}: the items file has no field "${field}"; its fields are ${Object.keys(first).join(', ')}.`,
          hint: 'Fix items.idField, items.contextFields or items.featureFields.',
        });
      }
    }
  }
  rows.forEach((row, index) => {
    const raw = row[spec.idField];
    if (raw === null || raw === undefined || String(raw) === '') {
      throw new MlfolioError({
        code: 'E_LABEL_ITEM_ID_MISSING',
        message: `${source}: row ${index + 1} has no value in the id field "${spec.idField}".`,
        hint: 'Every row needs an id; remove the row or fill it in.',
      });
    }
    const id = String(raw);
    if (seen.has(id)) {
      throw new MlfolioError({
        code: 'E_LABEL_ITEM_ID_DUPLICATE',
        message: `${source}: the item id "${id}" (field "${spec.idField}") appears twice; the second at row ${index + 1}.`,
        hint: 'Choose an id field whose values are unique.',
      });
    }
    seen.add(id);
    const item: LabelItem = {
      id,
      context: Object.fromEntries(spec.contextFields.map((f) => [f, row[f] ?? null])),
    };
    if (spec.featureFields.length) item.features = spec.featureFields.map((f) => Number(row[f]));
    items.push(item);
  });
  return items;
}

/** The distinct, non-empty names of a name list. */
export async function readNameList(spec: NameListSpec, resolve: (path: string) => string): Promise<string[]> {
  const names =
    'names' in spec ? spec.names : (await readRows(resolve(spec.path))).map((row) => row[spec.field]);
  return [
    ...new Set(names.filter((n) => n !== null && n !== undefined && String(n).trim() !== '').map(String)),
  ];
}
