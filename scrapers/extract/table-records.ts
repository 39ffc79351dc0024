import { parseCellValue } from './cell-value.ts';
import { columnType } from './inspect-tables.ts';
import type { ParsedTable } from './parse-table.ts';

/**
 * A parsed table as plain rows keyed by column name: display text for CSV (`typed: false`), or
 * values for JSON (`typed: true`: numeric columns become numbers, blanks null). A column with links
 * gains a sibling `<name>_id` holding the linked id. With `footer: true` the footer rows (totals,
 * "0 Players") follow the data rows and a last column, `footer` (or `_footer`… if the table has a
 * column of that name), marks every row: `true` for a footer row, `false` for data, so a footer
 * row never passes as data.
 */
export function tableRecords(
  table: ParsedTable,
  options: { typed: boolean; footer?: false },
): { header: string[]; rows: Record<string, string | number | null>[] };
export function tableRecords(
  table: ParsedTable,
  options: { typed: boolean; footer: boolean },
): { header: string[]; rows: Record<string, string | number | boolean | null>[] };
export function tableRecords(
  table: ParsedTable,
  options: { typed: boolean; footer?: boolean },
): {
  header: string[];
  rows: Record<string, string | number | boolean | null>[];
} {
  const source = options.footer ? [...table.rows, ...table.footer] : table.rows;
  const linked = table.columns.map((_, c) => table.rows.some((row) => row[c]!.id !== undefined));
  const numeric = table.columns.map((_, c) => {
    const type = columnType(table.rows.map((row) => parseCellValue(row[c]!.text)));
    return type === 'integer' || type === 'number';
  });
  const header: string[] = [];
  table.columns.forEach((column, c) => {
    header.push(column.name);
    if (linked[c]) header.push(`${column.name}_id`);
  });
  let marker = 'footer';
  while (header.includes(marker)) marker = `_${marker}`;
  if (options.footer) header.push(marker);
  const rows = source.map((row, index) => {
    const record: Record<string, string | number | boolean | null> = {};
    table.columns.forEach((column, c) => {
      const cell = row[c]!;
      record[column.name] = options.typed
        ? numeric[c]
          ? parseCellValue(cell.text)
          : cell.text === ''
            ? null
            : cell.text
        : cell.text;
      if (linked[c]) record[`${column.name}_id`] = cell.id ?? (options.typed ? null : '');
    });
    if (options.footer) {
      const isFooter = index >= table.rows.length;
      record[marker] = options.typed ? isFooter : String(isFooter);
    }
    return record;
  });
  return { header, rows };
}
