import { z } from 'zod';
import { predictionBatchSchema } from '../prediction-schema.ts';

/** What a version 2 project's request schema is generated from: its data roles, views and model. */
export interface EventSchemaContext {
  timeKind: 'date' | 'season';
  /** Whether the events table declares a season column (date-timed tables): then `season` is required. */
  seasonColumn: boolean;
  /** Role → the entity it names and the table column its key comes from. */
  roles: Record<string, { entity: string; key: string }>;
  /** The event's own columns that `column` views read, with what they mean and their JSON type. */
  columns: { name: string; description: string; type: 'boolean' | 'number' }[];
  /** The features the served model reads, in its order. */
  features: readonly string[];
  maxBatch: number;
  /** Most predictions one request may ask to explain. */
  maxExplained: number;
  /** Why an event at this time cannot be served (it is inside the data already), or undefined. */
  timeIssue: (time: string) => string | undefined;
}

/** One event to forecast: its time, the entity key of every role, and the raw columns the model reads. */
export interface ServedEvent {
  time: string;
  season?: string | undefined;
  entities: Record<string, string>;
  columns: Record<string, number | boolean>;
}

export interface TaskPredictionItem {
  event?: ServedEvent | undefined;
  features?: Record<string, number> | undefined;
}

const season = z.union([z.string().min(1).max(40), z.number().int()]).transform((value) => String(value));

/**
 * Request schemas of a version 2 project's prediction API, generated from the project: nothing
 * here knows a sport. A prediction is asked for one event (its time, a key per role, its raw
 * columns) or with the model's features given directly. Every check names its field.
 */
export function eventRequestSchemas(context: EventSchemaContext) {
  const time =
    context.timeKind === 'date'
      ? z.iso.date().describe('The event’s date (YYYY-MM-DD), after the end of the data.')
      : season.describe('The event’s season, after the last season in the data.');
  const entities = z
    .strictObject(
      Object.fromEntries(
        Object.entries(context.roles).map(([role, { entity, key }]) => [
          role,
          z
            .string()
            .min(1)
            .max(200)
            .describe(
              `Key of the ${entity} in role "${role}", as in the data's "${key}" column (GET /v1/entities lists the known ones; an unknown key gets the features' priors and is flagged).`,
            ),
        ]),
      ),
    )
    .describe('The entity key of every role of the event.');
  const columns = z
    .strictObject(
      Object.fromEntries(
        context.columns.map(({ name, description, type }) => [
          name,
          (type === 'boolean'
            ? z.boolean()
            : z.number().refine(Number.isFinite, 'must be a finite number')
          ).describe(description),
        ]),
      ),
    )
    .describe('The event’s own columns that the features read, known before the event.');
  const event = z
    .strictObject({
      time,
      ...(context.seasonColumn ? { season: season.describe('The event’s season.') } : {}),
      entities,
      ...(context.columns.length ? { columns } : {}),
    })
    .superRefine((value, ctx) => {
      const issue = context.timeIssue(value.time);
      if (issue) ctx.addIssue({ code: 'custom', path: ['time'], input: value.time, message: issue });
    });
  const features = z
    .strictObject(
      Object.fromEntries(
        context.features.map((name) => [name, z.number().refine(Number.isFinite, 'must be a finite number')]),
      ),
    )
    .describe('Every feature the model reads, given directly instead of an event.');
  const itemFields = {
    event: event.optional().describe('Forecast an event from the online store and its own columns.'),
    features: features.optional(),
  };
  const explain = z
    .boolean()
    .default(false)
    .describe('Include per-feature contributions (exact baseline Shapley values).');
  const item = z.strictObject(itemFields).superRefine(exactlyOneInput);
  return {
    item,
    single: z.strictObject({ ...itemFields, explain }).superRefine(exactlyOneInput),
    batch: predictionBatchSchema(item, explain, context),
  };
}

export type EventRequestSchemas = ReturnType<typeof eventRequestSchemas>;

function exactlyOneInput(value: { event?: unknown; features?: unknown }, ctx: z.RefinementCtx): void {
  const given = Number(value.event !== undefined) + Number(value.features !== undefined);
  if (given !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `give exactly one of "event" or "features" (got ${given === 0 ? 'neither' : 'both'})`,
    });
  }
}
