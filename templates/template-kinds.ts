/** The project kinds `mlfolio new --template` can scaffold. */
export const templateKinds = ['match-outcome', 'stats-table'] as const;
export type TemplateKind = (typeof templateKinds)[number];

/**
 * The sport of each template's bundled example: the match-outcome template runs on the bundled
 * football matches only; the stats-table template's example source is basketball's, and for any
 * other sport it is scaffolded with placeholders the builder replaces.
 */
export const templateExampleSport: Record<TemplateKind, string> = {
  'match-outcome': 'football',
  'stats-table': 'basketball',
};
