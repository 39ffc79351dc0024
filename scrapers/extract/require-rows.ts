import { ScrapeError } from '../scrape-error.ts';
import type { ParsedTable } from './parse-table.ts';

/**
 * Refuses a table without data rows: a `no-data` error (exit status 3) naming the table and the
 * page, and what its footer says if it has one, never an empty result. `location` is the page's
 * URL, or its `file://` URL for a saved page.
 */
export function requireRows(table: ParsedTable, key: string, location: string): void {
  if (table.rows.length > 0) return;
  const footer = table.footer
    .map((row) =>
      row
        .map((cell) => cell.text)
        .filter(Boolean)
        .join(' '),
    )
    .filter(Boolean);
  const network = /^https?:/i.test(location);
  throw new ScrapeError('no-data', {
    code: 'E_NO_DATA',
    ...(network ? { url: location } : {}),
    message: `table#${key}${network ? '' : ` in ${location}`} has no data rows${
      footer.length ? ` (its footer says ${footer.map((text) => `"${text}"`).join(', ')})` : ''
    }, so there is nothing to extract.`,
    hint: 'The page has no data in this table (a match not played, an empty season): choose another table (`mlfolio inspect` lists them with their row counts) or another page.',
  });
}
