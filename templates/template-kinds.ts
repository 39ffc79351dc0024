/** The project kinds `mlfolio new --template` can scaffold. */
export const templateKinds = ['match-outcome', 'international-match', 'team-season', 'stats-table'] as const;
export type TemplateKind = (typeof templateKinds)[number];

/**
 * The sport of each template's example: the match-outcome template runs on the bundled football
 * matches only; the stats-table template's example pages are basketball's (NBA team tables), and
 * for any other sport it is scaffolded with placeholders the builder replaces.
 */
export const templateExampleSport: Record<TemplateKind, string> = {
  'match-outcome': 'football',
  'international-match': 'football',
  'team-season': 'baseball',
  'stats-table': 'basketball',
};

/**
 * Templates that run only on the dataset they ship with (so only for its sport). The stats-table
 * template scrapes whatever pages the builder points it at, so it takes any sport.
 */
export const bundledDataTemplates: readonly TemplateKind[] = [
  'match-outcome',
  'international-match',
  'team-season',
];
