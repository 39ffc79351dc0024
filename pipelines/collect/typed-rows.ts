import type { ColumnType } from '../../portfolio/project-file/data-spec.ts';
import type { ExcludedRecord } from '../../scrapers/source.ts';

/** A cell after parsing: the types a project declares, and null for a blank. */
export type Cell = string | number | boolean | null;
export type Row = Record<string, Cell>;

const blank = new Set(['', 'na', 'n/a', 'null', 'nan', '-', '--']);

/**
 * Parses one cell as `type`. Blanks ("", NA, null, …) become null; a value that does not parse
 * returns an error message instead (the row is then left out with that reason, never guessed).
 */
export function parseCell(raw: unknown, type: ColumnType): { value: Cell } | { error: string } {
  if (raw === null || raw === undefined) return { value: null };
  if (typeof raw === 'number' || typeof raw === 'boolean') {
    if (type === 'string') return { value: String(raw) };
    if (type === 'boolean' && typeof raw === 'number')
      return raw === 0 || raw === 1 ? { value: raw === 1 } : bad();
    if (type === 'integer' && typeof raw === 'number' && !Number.isInteger(raw)) return bad();
    return { value: raw };
  }
  const text = String(raw).trim();
  // "NA" is a real league id in baseball tables: only an empty string is blank text.
  if (type === 'string') return { value: text === '' ? null : text };
  if (blank.has(text.toLowerCase())) return { value: null };
  switch (type) {
    case 'number': {
      const value = Number(text.replace(/,/g, ''));
      return Number.isFinite(value) ? { value } : bad();
    }
    case 'integer': {
      const value = Number(text.replace(/,/g, ''));
      return Number.isInteger(value) ? { value } : bad();
    }
    case 'boolean': {
      const lower = text.toLowerCase();
      if (['true', 'yes', '1', 'y', 't'].includes(lower)) return { value: true };
      if (['false', 'no', '0', 'n', 'f'].includes(lower)) return { value: false };
      return bad();
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text)) ? { value: text } : bad();
  }
  function bad() {
    return { error: `${JSON.stringify(raw)} is not ${type === 'integer' ? 'an' : 'a'} ${type}` };
  }
}

/**
 * Keeps the declared columns of every row, parsed to their types. A row with a column that does
 * not parse is left out with the reason; a declared column missing from the data is an error for
 * the whole table (the caller names the file).
 */
export function typeRows(
  rows: readonly Record<string, unknown>[],
  columns: Readonly<Record<string, ColumnType>>,
  location: (index: number) => string,
): { rows: Row[]; excluded: ExcludedRecord[]; missingColumns: string[] } {
  const present = new Set(rows.length ? Object.keys(rows[0]!) : []);
  const missingColumns = Object.keys(columns).filter((column) => !present.has(column));
  const typed: Row[] = [];
  const excluded: ExcludedRecord[] = [];
  if (missingColumns.length) return { rows: typed, excluded, missingColumns };
  rows.forEach((row, index) => {
    const out: Row = {};
    for (const [column, type] of Object.entries(columns)) {
      const parsed = parseCell(row[column], type);
      if ('error' in parsed) {
        excluded.push({ location: location(index), reason: `${column}: ${parsed.error}`, record: row });
        return;
      }
      out[column] = parsed.value;
    }
    typed.push(out);
  });
  return { rows: typed, excluded, missingColumns };
}
