import { type FocusArea, focusAreas, ideaSkills } from '../../templates/project-ideas.ts';

/** Whether a project's tags name `area`: its id, its label or one of its aliases. */
export function taggedWith(area: FocusArea, tags: readonly string[]): boolean {
  const names = new Set([area.id, area.label.toLowerCase(), ...area.aliases]);
  return tags.some((tag) => names.has(tag.trim().toLowerCase()));
}

/**
 * The focus area for `interests`: the first interest that names a known area. An interest the tool
 * does not know becomes an area of its own, with the same three kinds of project in its words.
 */
export function focusAreaFor(interests: readonly string[]): FocusArea {
  for (const interest of interests) {
    const wanted = interest.trim().toLowerCase();
    const area = focusAreas.find(
      (a) => a.id === wanted || a.label.toLowerCase() === wanted || a.aliases.includes(wanted),
    );
    if (area) return area;
  }
  const label = interests[0]!.trim();
  const id =
    label
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'sport';
  return {
    id,
    label,
    aliases: [],
    known: false,
    ideas: [
      {
        id: `${id}-win-forecasts`,
        title: `${label}: next-season win forecasts from public stats tables`,
        question: `From one public ${label} table per season, how many wins will each team or competitor have next season, and is that better than last season's total?`,
        template: 'stats-table',
        skills: ideaSkills.forecasting,
      },
      {
        id: `${id}-season-projections`,
        title: `${label}: next-season projections from a feature store`,
        question: `From per-season ${label} tables, what will each competitor achieve next season, how sure can we be, and are the features served the ones trained on?`,
        template: 'stats-table',
        skills: ideaSkills.dataPlatform,
      },
      {
        id: `${id}-forecast-service`,
        title: `${label}: a forecast service with an A/B comparison`,
        question:
          'Can a retrained model be served next to the current one and shown to be better before it replaces it?',
        template: 'stats-table',
        skills: ideaSkills.service,
      },
    ],
  };
}
