import { z } from 'zod';
import { fieldPath } from '../../portfolio/validate.ts';
import { ScrapeError } from '../scrape-error.ts';
import type { ExcludedRecord } from '../source.ts';
import { parseCellValue } from './cell-value.ts';
import { type FoundTable, findTables } from './find-tables.ts';
import { type ParsedTable, parseTable, type TableCell } from './parse-table.ts';

const columnSpecSchema = z.union([
  z.string().min(1),
  z.strictObject({
    /** Header names or `data-stat` keys that may supply the field, tried in order. */
    from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    /** `value`: the cell's text as a value; `link-id`: the id its link points at; `href`: the link. */
    take: z.enum(['value', 'link-id', 'href']).default('value'),
    type: z.enum(['text', 'integer', 'number']).default('text'),
    /** A blank cell is allowed (null) instead of excluding the row. */
    optional: z.boolean().default(false),
  }),
]);

/**
 * What a scraper expects of one table. Validated at the boundary (source files), then trusted.
 * `ids` lists every id the table has had, newest first: a site's rename is one more line here,
 * never a silently empty dataset.
 */
export const tableSpecSchema = z.strictObject({
  ids: z.array(z.string().min(1)).min(1),
  /** Record field → where it comes from. A bare string is a header name or `data-stat` key. */
  columns: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), columnSpecSchema),
  /** Fewer data rows than this is a layout change (default 1: an empty table is never a result). */
  minRows: z.number().int().nonnegative().default(1),
});
export type TableSpec = z.output<typeof tableSpecSchema>;
export type TableSpecInput = z.input<typeof tableSpecSchema>;

export type ExtractedRecord = Record<string, string | number | null>;

interface ResolvedColumn {
  field: string;
  index: number;
  take: 'value' | 'link-id' | 'href';
  type: 'text' | 'integer' | 'number';
  optional: boolean;
}

/**
 * Extracts `spec`'s records from the page at `url`. Throws `layout-changed` when no table has
 * one of the ids, when an expected column is missing, or when fewer than `minRows` rows remain:
 * each message names the URL, the selector and what was expected against what was found. Rows
 * that fail their field types are excluded with the reason; if every row fails, that too is a
 * layout change.
 */
export function extractTable(
  html: string,
  url: string,
  spec: TableSpec,
  tables: readonly FoundTable[] = findTables(html),
): {
  records: ExtractedRecord[];
  excluded: ExcludedRecord[];
  tableId: string;
  hidden: boolean;
  /** The `<tfoot>` rows (totals, league averages), never records: where each is and its text. */
  footer: { location: string; text: string }[];
} {
  const selector = spec.ids.map((id) => `table#${id}`).join(', ');
  const table = spec.ids.map((id) => tables.find((t) => t.id === id)).find(Boolean);
  if (!table) {
    const ids = tables.map((t) => t.id).filter(Boolean);
    throw layoutChanged(
      url,
      `no table matches ${selector}. The page has ${tables.length} table(s)${ids.length ? `: ${ids.join(', ')}` : ''}.`,
      `If the site renamed the table, add its new id to the front of "ids" (run \`mlfolio inspect ${url}\` to list tables).`,
    );
  }
  const parsed = parseTable(table.$, table.element, url);
  const columns = resolveColumns(parsed, spec, url, `table#${table.key}`);
  if (parsed.rows.length < spec.minRows) {
    throw layoutChanged(
      url,
      `table#${table.key} has ${parsed.rows.length} data row(s); expected at least ${spec.minRows}.`,
      'Open the page: if it really has no data (a cancelled event, a season not started), the source should report "no data"; otherwise the layout changed.',
      'E_TABLE_TOO_FEW_ROWS',
    );
  }
  const schema = recordSchema(columns);
  const records: ExtractedRecord[] = [];
  const excluded: ExcludedRecord[] = [];
  parsed.rows.forEach((row, r) => {
    const raw = Object.fromEntries(
      columns.map((column) => [column.field, cellAs(row[column.index]!, column)]),
    );
    const result = schema.safeParse(raw);
    if (result.success) records.push(result.data);
    else {
      excluded.push({
        location: `${url} table#${table.key} row ${r + 1}`,
        reason: result.error.issues
          .map(
            (issue) =>
              `${fieldPath(issue.path)}: ${issue.message} (cell "${String(raw[String(issue.path[0])] ?? '')}")`,
          )
          .join('; '),
        record: raw,
      });
    }
  });
  if (records.length === 0) {
    throw layoutChanged(
      url,
      `table#${table.key}: none of its ${parsed.rows.length} rows fit the expected columns (first problem: ${excluded[0]?.reason}).`,
      'The columns probably moved or changed meaning: compare `mlfolio extract` output with the source spec.',
    );
  }
  const footer = parsed.footer.map((cells, f) => ({
    location: `${url} table#${table.key} footer row ${f + 1}`,
    text: cells
      .map((cell) => cell.text)
      .filter(Boolean)
      .join(' '),
  }));
  return { records, excluded, tableId: table.key, hidden: table.hidden === 'comment', footer };
}

function resolveColumns(
  parsed: ParsedTable,
  spec: TableSpec,
  url: string,
  selector: string,
): ResolvedColumn[] {
  const missing: string[] = [];
  const resolved: ResolvedColumn[] = [];
  for (const [field, raw] of Object.entries(spec.columns)) {
    const column =
      typeof raw === 'string'
        ? { from: raw, take: 'value' as const, type: 'text' as const, optional: false }
        : raw;
    const names = [column.from].flat();
    const index = names
      .map((name) => parsed.columns.findIndex((c) => c.name === name || c.key === name))
      .find((i) => i >= 0);
    if (index === undefined) missing.push(`${field} (${names.map((n) => `"${n}"`).join(' or ')})`);
    else resolved.push({ field, index, take: column.take, type: column.type, optional: column.optional });
  }
  if (missing.length) {
    throw layoutChanged(
      url,
      `${selector} lacks expected column(s) ${missing.join(', ')}. Found: ${parsed.columns.map((c) => (c.key && c.key !== c.name ? `${c.name} [${c.key}]` : c.name)).join(', ')}.`,
      'If a column was renamed, add its new name to that field\'s "from" list in the source spec.',
    );
  }
  return resolved;
}

function cellAs(cell: TableCell, column: ResolvedColumn): string | number | null {
  if (column.take === 'link-id') return cell.id ?? null;
  if (column.take === 'href') return cell.href ?? null;
  if (column.type === 'text') return cell.text === '' ? null : cell.text;
  return parseCellValue(cell.text);
}

function recordSchema(columns: readonly ResolvedColumn[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const column of columns) {
    const base =
      column.type === 'integer'
        ? z.number().int()
        : column.type === 'number'
          ? z.number()
          : z.string().min(1);
    shape[column.field] = column.optional ? base.nullable() : base;
  }
  return z.object(shape) as unknown as z.ZodType<ExtractedRecord>;
}

function layoutChanged(url: string, message: string, hint: string, code = 'E_LAYOUT_CHANGED'): ScrapeError {
  return new ScrapeError('layout-changed', { code, url, message, hint });
}
