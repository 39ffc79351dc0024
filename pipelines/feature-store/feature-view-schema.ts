import { z } from 'zod';

/**
 * The declarations a project makes to the feature store: one table of events, the roles in which
 * entities appear in an event (with each role's perspective on the event's columns), and the
 * feature views computed over the per-entity timelines. Nothing here knows a sport: a sport is
 * data declared with these schemas.
 */

const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must be an identifier: letters, digits and _, not starting with a digit',
  );

/** Freshness: `400d`, `30 days`, `1 season`, `2 seasons`. */
export const ttlSchema = z
  .string()
  .regex(/^\d+\s*(d|days?|seasons?)$/, 'must be a number of days or seasons, e.g. "400d" or "1 season"');

export interface Ttl {
  amount: number;
  unit: 'days' | 'seasons';
}

export function parseTtl(text: string): Ttl {
  const match = /^(\d+)\s*(d|days?|seasons?)$/.exec(text);
  if (!match) throw new Error(`Invalid TTL "${text}"`);
  return { amount: Number(match[1]), unit: match[2]!.startsWith('s') ? 'seasons' : 'days' };
}

/** How an entity appears in an event: which column holds its key, and its view of the columns. */
export const roleSchema = z.strictObject({
  /** The entity type, e.g. `team` or `player`. */
  entity: identifier,
  /** The event column holding this entity's key. */
  key: z.string().min(1),
  /**
   * The entity's own columns in this role: name → DuckDB SQL expression over the event's columns
   * (for a `home` role, `goals_for: home_score`). Every role of one entity declares the same names.
   */
  columns: z.record(identifier, z.string().min(1)).default({}),
});

export const eventTableSchema = z.strictObject({
  name: identifier,
  /** Column holding a stable event id; the row number when absent. */
  id: z.string().optional(),
  /** When the event happens: a date column, or a season column sortable as text or number. */
  time: z.strictObject({ column: z.string().min(1), kind: z.enum(['date', 'season']) }),
  /** For date-timed tables: the season column that season windows, `sameSeason` and Elo's regression use. */
  season: z.string().optional(),
  /** Column holding when the row was recorded (a date or timestamp); a row is known only after it. */
  ingestedAt: z.string().optional(),
  roles: z.record(identifier, roleSchema).refine((roles) => Object.keys(roles).length > 0, {
    message: 'declare at least one role (e.g. `self` for a one-entity table, `home` and `away` for a match)',
  }),
});

const base = {
  name: identifier,
  description: z.string().min(1),
  ttl: ttlSchema,
};

/** Fields of views computed per entity over its timeline, then attached to each role it plays. */
const perEntity = {
  entity: identifier,
  /** The roles of an event that get this feature (default: every role of the entity). */
  roles: z.array(identifier).min(1).optional(),
  /** Only the entity's past events in these roles count (default: all its events). */
  historyRoles: z.array(identifier).min(1).optional(),
  /** Output column per role; `{role}` is replaced. Default `{name}_{role}`, or `{name}` for a one-role entity. */
  output: z.string().optional(),
};

export const aggregateNames = ['mean', 'sum', 'count', 'min', 'max', 'std'] as const;

const windowSchema = z.union([
  z.strictObject({ events: z.number().int() }),
  z.strictObject({ days: z.number().int() }),
  z.strictObject({ seasons: z.number().int() }),
]);

const columnView = z.strictObject({
  ...base,
  kind: z.literal('column'),
  entity: identifier.optional(),
  /** A column of the event's own row that is known before the event (e.g. `neutral`). */
  column: z.string().min(1),
});

const lagView = z.strictObject({
  ...base,
  ...perEntity,
  kind: z.literal('lag'),
  column: identifier,
  /** How many of the entity's events back, counting from the last one strictly before the event. */
  offset: z.number().int(),
  default: z.number().optional(),
});

const rollingView = z.strictObject({
  ...base,
  ...perEntity,
  kind: z.literal('rolling'),
  column: identifier,
  aggregate: z.enum(aggregateNames),
  window: windowSchema,
  /** Only events of the event's own season count. */
  sameSeason: z.boolean().optional(),
  /** The value when the window holds no values (a prior); missing when absent. */
  default: z.number().optional(),
});

const eloView = z.strictObject({
  ...base,
  entity: identifier,
  output: z.string().optional(),
  kind: z.literal('elo'),
  /** The two roles of a pairwise event; the first gets the home advantage. Default: the entity's two roles. */
  roles: z.array(identifier).length(2).optional(),
  /** Perspective column compared between the two roles to decide win, draw or loss. */
  score: identifier,
  k: z.union([
    z.number().positive(),
    z.strictObject({
      column: z.string().min(1),
      /** K per value of the column; when absent the column's numeric value is K. */
      values: z.record(z.string(), z.number().positive()).optional(),
      default: z.number().positive(),
    }),
  ]),
  homeAdvantage: z.number().default(0),
  initial: z.number().default(1500),
  /** Rating of an entity first seen after the table's first season; `initial` when absent. */
  newcomer: z.number().optional(),
  /** Fraction of the distance to `initial` a rating moves back at an entity's first event of a season. */
  seasonRegression: z.number().min(0).max(1).optional(),
  /** Scale K by the margin-of-victory multiplier of eloratings.net: 1 for a one-point margin, 1.5 for two, (11 + margin) / 8 above. */
  marginMultiplier: z.boolean().default(false),
  /** A column that marks neutral venues: there, no home advantage. */
  neutral: z.string().optional(),
});

const sinceView = z.strictObject({
  ...base,
  ...perEntity,
  kind: z.literal('since'),
  /** Largest value reported, in days (date tables) or seasons (season tables). */
  cap: z.number().positive(),
  /** The value for an entity's first event; `cap` when absent. */
  default: z.number().optional(),
});

const formulaView = z.strictObject({
  ...base,
  kind: z.literal('formula'),
  /** A DuckDB SQL expression over other features' output columns of the same row. */
  expression: z.string().min(1).optional(),
  difference: z.tuple([identifier, identifier]).optional(),
  ratio: z.tuple([identifier, identifier]).optional(),
});

export const featureViewSchema = z.discriminatedUnion('kind', [
  columnView,
  lagView,
  rollingView,
  eloView,
  sinceView,
  formulaView,
]);

export const featureStoreSpecSchema = z.strictObject({
  table: eventTableSchema,
  views: z.array(featureViewSchema).min(1),
});

export type EventTableSpec = z.output<typeof eventTableSchema>;
export type FeatureViewSpec = z.output<typeof featureViewSchema>;
export type FeatureStoreSpec = z.output<typeof featureStoreSpecSchema>;
export type FeatureStoreSpecInput = z.input<typeof featureStoreSpecSchema>;
export type FeatureViewInput = z.input<typeof featureViewSchema>;
export type Aggregate = (typeof aggregateNames)[number];
export type ColumnView = z.output<typeof columnView>;
export type LagView = z.output<typeof lagView>;
export type RollingView = z.output<typeof rollingView>;
export type EloView = z.output<typeof eloView>;
export type SinceView = z.output<typeof sinceView>;
export type FormulaView = z.output<typeof formulaView>;
export type WindowedView = LagView | RollingView | SinceView;
