import { type CellValue, parseCellValue } from './cell-value.ts';
import { type FoundTable, findTables } from './find-tables.ts';
import { type ParsedTable, parseTable } from './parse-table.ts';

export type ColumnType = 'integer' | 'number' | 'text' | 'empty';

export interface TableSummary {
  key: string;
  id: string | undefined;
  caption: string | undefined;
  hidden: 'comment' | undefined;
  rows: number;
  footerRows: number;
  columns: {
    name: string;
    group: string | undefined;
    key: string | undefined;
    type: ColumnType;
    links: boolean;
  }[];
}

/** One line per table a person would see on the page, hidden ones included. */
export function inspectTables(html: string, baseUrl?: string): TableSummary[] {
  return findTables(html).map((table) => summarise(table, parseTable(table.$, table.element, baseUrl)));
}

export function summarise(table: FoundTable, parsed: ParsedTable): TableSummary {
  return {
    key: table.key,
    id: table.id,
    caption: table.caption,
    hidden: table.hidden,
    rows: parsed.rows.length,
    footerRows: parsed.footer.length,
    columns: parsed.columns.map((column, c) => ({
      ...column,
      type: columnType(parsed.rows.map((row) => parseCellValue(row[c]!.text))),
      links: parsed.rows.some((row) => row[c]!.id !== undefined),
    })),
  };
}

/** The narrowest type every non-blank value of a column fits. */
export function columnType(values: readonly CellValue[]): ColumnType {
  const present = values.filter((value) => value !== null);
  if (present.length === 0) return 'empty';
  if (present.every((value) => typeof value === 'number')) {
    return present.every((value) => Number.isInteger(value)) ? 'integer' : 'number';
  }
  return 'text';
}
