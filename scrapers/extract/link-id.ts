const idParameter = /(^|_)id$|id$/i;
const entityParameter = /^(team|player|club|squad|match|game)$/i;

/**
 * The id a link in a stats table points at, so rows can be joined on ids instead of names:
 * - sports-reference's `data-append-csv` attribute on the cell wins (`jokicni01`);
 * - else a query parameter named like an id (`playerid=19755`, `team_ID=BAL`, `team=21`);
 * - else the last path segment without its extension (`/players/j/jokicni01.html` → `jokicni01`),
 *   stepping over years and readable slugs (`/teams/DET/2021.html` → `DET`,
 *   `/en/squads/d53c0b06/2019-2020/Lyon-Stats` → `d53c0b06`).
 * Returns undefined when the link names nothing (`/`, `index.html`).
 */
export function linkId(href: string, appendCsv?: string): string | undefined {
  if (appendCsv?.trim()) return appendCsv.trim();
  let url: URL;
  try {
    url = new URL(href, 'http://base.invalid/');
  } catch {
    return undefined;
  }
  const params = [...url.searchParams.entries()].filter(([, value]) => value.trim() !== '');
  const byId = params.find(([name]) => idParameter.test(name));
  const byEntity = params.find(([name]) => entityParameter.test(name));
  const segments = url.pathname
    .split('/')
    .filter(Boolean)
    .map((segment) => decodeURIComponent(segment).replace(/\.[a-z0-9]+$/i, ''));
  const pageLike = /^(index|default|leaders|teams|players|draft|register|player|team)$/i;
  if (byId || (byEntity && (segments.length === 0 || pageLike.test(segments.at(-1)!)))) {
    return (byId ?? byEntity)![1].trim();
  }
  const skippable = (segment: string) => /^\d{4}(-\d{2,4})?$/.test(segment) || segment.includes('-');
  while (segments.length > 1 && skippable(segments.at(-1)!)) segments.pop();
  const last = segments.at(-1);
  if (!last || pageLike.test(last)) return undefined;
  return last;
}
