import { MlfolioError } from '../../../portfolio/errors.ts';
import type { SourceFile } from '../../source-file.ts';

type StatsTableSource = Extract<SourceFile, { kind: 'html-stats-table' }>;

/** A value a scaffold left for the builder to replace: the field, and the value found there. */
export interface Placeholder {
  field: string;
  value: string;
}

// `mlfolio new` marks what the builder must replace with TODO, and puts placeholder pages on
// example.invalid, a name reserved never to resolve.
const isPlaceholder = (value: string) => /TODO/.test(value) || /\.invalid(?=[:/]|$)/i.test(hostOf(value));

function hostOf(value: string): string {
  try {
    return new URL(value.replaceAll('{season}', '0')).hostname;
  } catch {
    return '';
  }
}

/** Every placeholder left in the fields that decide what is fetched and read: pages, table ids, columns. */
export function placeholdersIn(source: StatsTableSource): Placeholder[] {
  const found: Placeholder[] = [];
  const check = (field: string, value: string) => {
    if (isPlaceholder(value)) found.push({ field, value });
  };
  for (const [i, url] of (source.urls ?? []).entries()) check(`urls[${i}]`, url);
  if (source.pages) check('pages.url', source.pages.url);
  for (const [i, id] of source.table.ids.entries()) check(`table.ids[${i}]`, id);
  for (const [name, column] of Object.entries(source.table.columns)) {
    const from = typeof column === 'string' ? [column] : [column.from].flat();
    for (const [i, header] of from.entries()) {
      check(
        `table.columns.${name}${typeof column === 'string' ? '' : `.from${from.length > 1 ? `[${i}]` : ''}`}`,
        header,
      );
    }
  }
  return found;
}

/** Throws naming the file and every placeholder still in it, so nothing is fetched from a scaffold's stand-ins. */
export function assertNoPlaceholders(source: StatsTableSource, file: string): void {
  const found = placeholdersIn(source);
  if (found.length === 0) return;
  throw new MlfolioError({
    code: 'E_SOURCE_PLACEHOLDERS',
    message: `${file} still has ${found.length} placeholder(s) from \`mlfolio new\`:\n${found
      .map((p) => `  - ${p.field}: "${p.value}"`)
      .join('\n')}`,
    hint: `Replace each with the real value: pages.url is one season's page with {season} where the season goes, table.ids the table's id and each column's "from" its header (\`mlfolio inspect <url>\` lists both). Then run the command again.`,
  });
}
