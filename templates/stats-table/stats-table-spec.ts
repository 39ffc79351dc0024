import { z } from 'zod';

/**
 * The project file of a stats-table project, as `mlfolio new --template stats-table` writes it. The
 * pipeline does not run this task yet; the scaffold is validated against this schema so a builder
 * starts from a file whose every field is meaningful, and `npm start` treats it as a draft.
 */
export const statsTableSpecSchema = z.strictObject({
  title: z.string().min(1),
  summary: z.string().min(1),
  question: z.string().min(1),
  whyItMatters: z.string().min(1),
  task: z.literal('stats-table'),
  source: z.strictObject({
    kind: z.literal('html-table'),
    pages: z.array(z.strictObject({ season: z.string().regex(/^\d{4}-\d{2}$/), url: z.url() })).min(2),
    /** The id attribute of the table, which may sit inside an HTML comment. */
    table: z.string().min(1),
    /** The column naming a row (team or player), used to join consecutive seasons. */
    rowKey: z.string().min(1),
    licence: z.string().min(1),
    attribution: z.string().min(1),
  }),
  target: z.strictObject({ column: z.string().min(1), kind: z.enum(['regression', 'classification']) }),
  features: z.array(z.string().min(1)).min(1),
  split: z.strictObject({ by: z.literal('season'), testSeasons: z.number().int().positive() }),
  models: z.array(z.strictObject({ id: z.string(), kind: z.string() })).min(2),
  seed: z.number().int(),
  tags: z.array(z.string()).default([]),
});
