/** The project kinds `mlfolio new --template` can scaffold. */
export const templateKinds = ['match-outcome', 'stats-table'] as const;
export type TemplateKind = (typeof templateKinds)[number];
