import type { CheerioAPI } from 'cheerio';
import type { Element } from 'domhandler';
import { cleanText } from './cell-value.ts';
import { linkId } from './link-id.ts';

export interface TableColumn {
  /** Header text of the bottom header row; repeats get `.1`, `.2` (as pandas does); blanks `col<n>`. */
  name: string;
  /** The header text above it in a multi-row header ("Shooting", "Per Game"), if any. */
  group: string | undefined;
  /** A stable machine name the site gives the column (sports-reference's `data-stat`), if any. */
  key: string | undefined;
}

export interface TableCell {
  text: string;
  /** The first link in the cell, resolved against the page URL. */
  href?: string;
  /** The id that link points at (a player, team or match id), see {@link linkId}. */
  id?: string;
}

export interface ParsedTable {
  columns: TableColumn[];
  /** Data rows, each with exactly one cell per column. */
  rows: TableCell[][];
  /** Rows of `<tfoot>` (totals, league averages): kept apart so they never pass as data. */
  footer: TableCell[][];
  /** Body rows left out, and why (repeated header rows, spacer rows, section labels). */
  skipped: { row: number; reason: string }[];
}

interface GridCell extends TableCell {
  header: boolean;
  key: string | undefined;
  /** For the extra slots of a `colspan` cell: the cell that spans them. */
  spannedBy?: GridCell;
}

/**
 * Reads a table the way a person reads it. Header rows are the `<thead>` rows (or leading rows
 * made only of `<th>`), minus toolbar rows (one cell spanning the table: pagers); `colspan` and
 * `rowspan` are expanded. Body rows that repeat the header (sports-reference repeats it every 20
 * rows), spacer rows and single-cell section labels are skipped and reported.
 */
export function parseTable($: CheerioAPI, table: Element, baseUrl?: string): ParsedTable {
  const allRows = $(table)
    .find('tr')
    .toArray()
    .filter((row) => $(row).closest('table')[0] === table);
  const section = (row: Element) => {
    const parent = $(row).parent()[0] as Element | undefined;
    return parent?.name === 'thead' || parent?.name === 'tfoot' ? parent.name : 'tbody';
  };
  const grid = expandSpans($, allRows, baseUrl);
  const width = Math.max(0, ...grid.map((cells) => cells.length));
  const isToolbar = (cells: GridCell[], row: Element) =>
    $(row).children('th, td').length === 1 && width > 1 && cells.length >= width && !cells[0]!.header;

  const headerIndexes: number[] = [];
  const hasThead = allRows.some((row) => section(row) === 'thead');
  for (const [index, row] of allRows.entries()) {
    const cells = grid[index]!;
    if (hasThead ? section(row) !== 'thead' : !cells.length || !cells.every((cell) => cell.header)) {
      if (!hasThead) break;
      continue;
    }
    if (!isToolbar(cells, row)) headerIndexes.push(index);
  }
  const headerRows = headerIndexes.map((index) => grid[index]!);
  const columns = nameColumns(headerRows, grid, allRows, width, headerIndexes, section);
  const headerNames = new Set(columns.map((column) => column.name.toLowerCase()));

  const rows: TableCell[][] = [];
  const footer: TableCell[][] = [];
  const skipped: ParsedTable['skipped'] = [];
  for (const [index, row] of allRows.entries()) {
    if (headerIndexes.includes(index) || section(row) === 'thead') continue;
    const cells = grid[index]!;
    const classes = ` ${$(row).attr('class') ?? ''} `;
    const texts = cells.map((cell) => cell.text);
    let reason: string | undefined;
    if (/ (thead|over_header) /.test(classes)) reason = 'repeated header row';
    else if (
      cells.length > 0 &&
      cells.every((cell) => cell.header) &&
      texts.filter((text) => headerNames.has(text.toLowerCase())).length >= Math.ceil(texts.length / 2)
    )
      reason = 'repeated header row';
    else if (texts.every((text) => text === '')) reason = 'blank spacer row';
    else if (isToolbar(cells, row)) reason = `section label "${texts[0]}"`;
    if (reason) {
      if (section(row) !== 'tfoot') skipped.push({ row: index + 1, reason });
      continue;
    }
    const padded = Array.from({ length: width }, (_, i) => strip(cells[i]));
    (section(row) === 'tfoot' ? footer : rows).push(padded);
  }
  return { columns, rows, footer, skipped };
}

function strip(cell: GridCell | undefined): TableCell {
  if (!cell) return { text: '' };
  const { text, href, id } = cell;
  return { text, ...(href ? { href } : {}), ...(id ? { id } : {}) };
}

/** Lays the rows out on a grid, copying a `rowspan` cell down and leaving `colspan` extras blank. */
function expandSpans($: CheerioAPI, rows: Element[], baseUrl: string | undefined): GridCell[][] {
  const grid: GridCell[][] = rows.map(() => []);
  for (const [r, row] of rows.entries()) {
    let c = 0;
    for (const cellElement of $(row).children('th, td').toArray()) {
      while (grid[r]![c]) c++;
      const cell = readCell($, cellElement, baseUrl);
      const colspan = clampSpan(cellElement.attribs.colspan);
      const rowspan = clampSpan(cellElement.attribs.rowspan);
      for (let dr = 0; dr < rowspan && r + dr < rows.length; dr++) {
        for (let dc = 0; dc < colspan; dc++) {
          grid[r + dr]![c + dc] =
            dc === 0 ? cell : { text: '', header: cell.header, key: cell.key, spannedBy: cell };
        }
      }
      c += colspan;
    }
    for (let i = 0; i < grid[r]!.length; i++) grid[r]![i] ??= { text: '', header: false, key: undefined };
  }
  return grid;
}

function clampSpan(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1000) : 1;
}

function readCell($: CheerioAPI, element: Element, baseUrl: string | undefined): GridCell {
  const node = $(element);
  // <br> separates words a browser shows on separate lines; text() would glue them together.
  node.find('br').replaceWith(' ');
  const cell: GridCell = {
    text: cleanText(node.text()),
    header: element.name === 'th' && node.attr('scope') !== 'row',
    key: node.attr('data-stat') ?? undefined,
  };
  const link = node.find('a[href]').first();
  const href = link.attr('href')?.trim();
  if (href && !href.startsWith('javascript:') && !href.startsWith('#')) {
    let resolved = href;
    try {
      resolved = baseUrl ? new URL(href, baseUrl).href : href;
    } catch {
      // Keep the raw href: a malformed link should not lose the row.
    }
    cell.href = resolved;
    const id = linkId(href, node.attr('data-append-csv'));
    if (id) cell.id = id;
  } else if (node.attr('data-append-csv')) {
    cell.id = node.attr('data-append-csv')!;
  }
  return cell;
}

function nameColumns(
  headerRows: GridCell[][],
  grid: GridCell[][],
  rows: Element[],
  width: number,
  headerIndexes: number[],
  section: (row: Element) => string,
): TableColumn[] {
  const firstBody = grid.find((_, i) => !headerIndexes.includes(i) && section(rows[i]!) !== 'thead');
  const seen = new Map<string, number>();
  return Array.from({ length: width }, (_, c) => {
    const stack = headerRows.map((row) => row[c]);
    const bottom = stack.at(-1);
    const base = bottom?.text || `col${c + 1}`;
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    const groups = stack
      .slice(0, -1)
      .map((cell) => cell?.spannedBy?.text ?? cell?.text ?? '')
      .filter((text, i, all) => text && text !== bottom?.text && all.indexOf(text) === i);
    return {
      name: count ? `${base}.${count}` : base,
      group: groups.length ? groups.join(' / ') : undefined,
      key: bottom?.key ?? firstBody?.[c]?.key,
    };
  });
}
