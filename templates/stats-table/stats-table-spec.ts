import { z } from 'zod';

/**
 * The project file of a stats-table project, as `mlfolio new --template stats-table` writes it. The
 * pipeline does not run this task yet; the scaffold is validated against this schema so a builder
 * starts from a file whose every field is meaningful, and `npm start` treats it as a draft.
 */
export const statsTableSpecSchema = z
  .strictObject({
    title: z.string().min(1),
    summary: z.string().min(1),
    question: z.string().min(1),
    whyItMatters: z.string().min(1),
    task: z.literal('stats-table'),
    /** Shaped like an `html-stats-table` scrape source file, so the scraper can read it as it is. */
    source: z.strictObject({
      kind: z.literal('html-stats-table'),
      urls: z.array(z.url({ protocol: /^https?$/ })).min(2),
      table: z.strictObject({
        ids: z.array(z.string().min(1)).min(1),
        columns: z.record(
          z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
          z.union([
            z.string().min(1),
            z.strictObject({
              from: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
              take: z.enum(['value', 'link-id', 'href']).optional(),
              type: z.enum(['text', 'integer', 'number']).optional(),
              optional: z.boolean().optional(),
            }),
          ]),
        ),
        minRows: z.number().int().nonnegative().optional(),
      }),
      licence: z.string().min(1),
      attribution: z.string().min(1),
    }),
    /** The season each URL holds, in the same order. */
    seasons: z.array(z.string().regex(/^\d{4}-\d{2}$/)).min(2),
    /** The column naming a row (team or player), used to join consecutive seasons. */
    rowKey: z.string().min(1),
    target: z.strictObject({ column: z.string().min(1), kind: z.enum(['regression', 'classification']) }),
    features: z.array(z.string().min(1)).min(1),
    split: z.strictObject({ by: z.literal('season'), testSeasons: z.number().int().positive() }),
    models: z.array(z.strictObject({ id: z.string(), kind: z.string() })).min(2),
    seed: z.number().int(),
    tags: z.array(z.string()).default([]),
  })
  .superRefine((spec, context) => {
    if (spec.seasons.length !== spec.source.urls.length) {
      context.addIssue({
        code: 'custom',
        path: ['seasons'],
        message: `lists ${spec.seasons.length} season(s) for ${spec.source.urls.length} URL(s) in source.urls; give one season per URL, in the same order`,
      });
    }
    const columns = Object.keys(spec.source.table.columns);
    const named: [string, (string | number)[]][] = [
      [spec.rowKey, ['rowKey']],
      [spec.target.column, ['target', 'column']],
      ...spec.features.map((feature, i): [string, (string | number)[]] => [feature, ['features', i]]),
    ];
    for (const [name, path] of named) {
      if (!columns.includes(name)) {
        context.addIssue({
          code: 'custom',
          path,
          message: `"${name}" is not a column of source.table.columns (${columns.join(', ')})`,
        });
      }
    }
  });
