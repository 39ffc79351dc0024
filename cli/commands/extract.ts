import { defineCommand } from 'citty';
import { stringify } from 'csv-stringify/sync';
import { MlfolioError } from '../../portfolio/errors.ts';
import { didYouMean } from '../../portfolio/suggest.ts';
import { findTables, selectTable } from '../../scrapers/extract/find-tables.ts';
import { parseTable } from '../../scrapers/extract/parse-table.ts';
import { requireRows } from '../../scrapers/extract/require-rows.ts';
import { tableRecords } from '../../scrapers/extract/table-records.ts';
import { loadPage } from '../../scrapers/page-source.ts';
import { type FetchArgValues, fetchArgs, fetcherFrom } from './fetch-args.ts';

const formats = ['csv', 'json'] as const;

export const extractCommand = defineCommand({
  meta: {
    name: 'extract',
    description:
      "Print one table's rows from a page (URL or saved file) as CSV or JSON, hidden tables included.",
  },
  args: {
    page: {
      type: 'positional',
      description: 'An http(s) URL or the path of a saved HTML file.',
      required: true,
    },
    table: {
      type: 'string',
      description: 'The table id (or #n, its position) as `mlfolio inspect` lists it.',
      required: true,
    },
    format: { type: 'string', description: 'csv (display text) or json (typed values).', default: 'csv' },
    footer: {
      type: 'boolean',
      description:
        'Also print the footer rows (totals, averages), after the data, with a last column `footer` that is true for them.',
      default: false,
    },
    ...fetchArgs,
  },
  async run({ args }) {
    const format = args.format as (typeof formats)[number];
    if (!formats.includes(format)) {
      throw new MlfolioError({
        code: 'E_UNKNOWN_FORMAT',
        message: `--format "${args.format}" is not a format extract can write.`,
        hint: didYouMean(args.format, formats),
        exitCode: 2,
      });
    }
    const page = await loadPage(args.page, () => fetcherFrom(args as FetchArgValues));
    const tables = findTables(page.decoded.text);
    const table = selectTable(tables, args.table);
    if (!table) {
      const keys = tables.map((candidate) => candidate.key);
      throw new MlfolioError({
        code: 'E_TABLE_NOT_FOUND',
        message: `${page.location} has no table "${args.table}". It has ${tables.length}: ${keys.join(', ') || '(none)'}.`,
        hint: `${suggestTable(args.table, keys)} Run \`mlfolio inspect ${args.page}\` to see them all.`.trim(),
      });
    }
    const parsed = parseTable(table.$, table.element, page.baseUrl);
    requireRows(parsed, table.key, page.location);
    const { header, rows } = tableRecords(parsed, { typed: format === 'json', footer: args.footer });
    if (format === 'json') console.log(JSON.stringify(rows, null, 2));
    else process.stdout.write(stringify(rows, { header: true, columns: header }));
  },
});

function suggestTable(input: string, keys: readonly string[]): string {
  const containing = keys.filter((key) => key.includes(input));
  if (containing.length) return `Did you mean ${containing.map((key) => `"${key}"`).join(' or ')}?`;
  return keys.length ? didYouMean(input, keys) : '';
}
