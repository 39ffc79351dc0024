import { defineCommand } from 'citty';
import { inspectTables, type TableSummary } from '../../scrapers/extract/inspect-tables.ts';
import { loadPage } from '../../scrapers/page-source.ts';
import { type FetchArgValues, fetchArgs, fetcherFrom } from './fetch-args.ts';

export const inspectCommand = defineCommand({
  meta: {
    name: 'inspect',
    description:
      'List every table on a page (URL or saved file): id, caption, whether it is hidden in an HTML comment, rows, columns.',
  },
  args: {
    page: {
      type: 'positional',
      description: 'An http(s) URL or the path of a saved HTML file.',
      required: true,
    },
    json: { type: 'boolean', description: 'Print the listing as JSON.', default: false },
    ...fetchArgs,
  },
  async run({ args }) {
    const page = await loadPage(args.page, () => fetcherFrom(args as FetchArgValues));
    const tables = inspectTables(page.decoded.text, page.baseUrl);
    const { encoding, source, warnings } = page.decoded;
    if (args.json) {
      console.log(
        JSON.stringify({ page: page.location, encoding, encodingSource: source, warnings, tables }, null, 2),
      );
      return;
    }
    console.log(
      `${page.location} — ${tables.length} table(s); decoded as ${encoding} (${source}) from ${page.from}`,
    );
    for (const warning of warnings) console.log(`  ⚠ ${warning}`);
    for (const table of tables) console.log(formatTable(table));
  },
});

export function formatTable(table: TableSummary): string {
  const flags = [table.hidden === 'comment' ? 'hidden in comment' : 'visible'];
  if (table.footerRows) flags.push(`${table.footerRows} footer row(s)`);
  const head = `\n${table.key}${table.caption ? ` — ${table.caption}` : ''}\n  ${table.rows} rows × ${table.columns.length} columns · ${flags.join(' · ')}`;
  const columns = table.columns.map((column) => {
    const extras = [
      column.type,
      column.key && column.key !== column.name ? `key ${column.key}` : '',
      column.links ? 'links→id' : '',
    ]
      .filter(Boolean)
      .join(', ');
    return `${column.group ? `${column.group} › ` : ''}${column.name} (${extras})`;
  });
  return `${head}\n  columns: ${columns.join(' | ')}`;
}
