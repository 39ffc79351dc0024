import { type CheerioAPI, load } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { cleanText } from './cell-value.ts';

/** A `<table>` on a page, visible or hidden in an HTML comment. */
export interface FoundTable {
  /** The table's `id` attribute, if it has one. */
  id: string | undefined;
  /** How `extract --table` names it: the id, or `#<n>` (1-based, in document order) without one. */
  key: string;
  /** Position in document order, 1-based, counting hidden tables where their comment sits. */
  index: number;
  /** The `<caption>`, or the heading of the section that holds the table. */
  caption: string | undefined;
  /**
   * `comment` when the table's markup sits inside `<!-- -->` (sports-reference pages ship most
   * tables that way and un-comment them with JavaScript: a browser shows them, a naive parser
   * does not see them).
   */
  hidden: 'comment' | undefined;
  /** The document the table belongs to (the comment's own document for hidden tables). */
  $: CheerioAPI;
  element: Element;
}

/** Every table on the page in document order, including those inside HTML comments. */
export function findTables(html: string): FoundTable[] {
  const $ = load(html);
  const found: FoundTable[] = [];
  const visit = (node: AnyNode, context: { $: CheerioAPI; anchor: AnyNode | undefined }) => {
    if (node.type === 'comment') {
      const data = (node as { data: string }).data;
      if (!/<table[\s>]/i.test(data)) return;
      const fragment = load(data, null, false);
      for (const child of fragment.root().contents().toArray()) visit(child, { $: fragment, anchor: node });
      return;
    }
    if (node.type !== 'tag' && node.type !== 'root' && node.type !== 'script' && node.type !== 'style')
      return;
    const element = node as Element;
    if (node.type === 'tag' && element.name === 'table') {
      const index = found.length + 1;
      const id = element.attribs.id?.trim() || undefined;
      found.push({
        id,
        key: id ?? `#${index}`,
        index,
        caption: captionOf(context.$, element, context.anchor ? $ : context.$, context.anchor),
        hidden: context.anchor ? 'comment' : undefined,
        $: context.$,
        element,
      });
    }
    if (node.type === 'script' || node.type === 'style') return;
    for (const child of (element.children ?? []) as AnyNode[]) visit(child, context);
  };
  visit($.root()[0]!, { $, anchor: undefined });
  return found;
}

/** Finds the table `key` names: an id, `#<n>` or a bare number (its position). */
export function selectTable(tables: readonly FoundTable[], key: string): FoundTable | undefined {
  const byId = tables.find((table) => table.id === key);
  if (byId) return byId;
  const position = /^#?(\d+)$/.exec(key)?.[1];
  return position ? tables.find((table) => table.index === Number(position)) : undefined;
}

function captionOf(
  $: CheerioAPI,
  table: Element,
  outer$: CheerioAPI,
  anchor: AnyNode | undefined,
): string | undefined {
  const caption = cleanText($(table).children('caption').first().text());
  if (caption) return caption;
  // Sports-reference style: <div id="all_x"><div class="section_heading"><h2>…</h2></div> … table</div>.
  let current = anchor ? outer$(anchor as Element).parent() : $(table).parent();
  for (let depth = 0; depth < 4 && current.length; depth++) {
    const heading = cleanText(
      current.children('.section_heading').find('h2').first().text() ||
        current.children('h2, h3').first().text(),
    );
    if (heading) return heading;
    current = current.parent();
  }
  return undefined;
}
