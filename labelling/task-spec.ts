import { z } from 'zod';

/**
 * A labelling task as a project declares it: where its items come from, what a label may be, the
 * guidelines annotators follow, the keys of the page, how the queue samples, and labelling functions.
 * Exported so the project file can embed it; {@link loadTask} normalises it into a {@link Task}.
 */

/** A scalar read from a table cell. */
export type CellValue = string | number | boolean | null;

const fieldName = z.string().min(1);

const tableItemsSchema = z.strictObject({
  source: z.literal('table'),
  /** A `.csv`, `.jsonl` or `.json` (array of rows) file, relative to the task file. */
  path: z.string().min(1),
  /** The field whose value identifies an item; unique across rows. */
  idField: fieldName,
  /** The fields the page shows, in order. */
  contextFields: z.array(fieldName).min(1),
  /** Numeric fields forming the item's feature vector (for the diversity sampler). */
  featureFields: z.array(fieldName).default([]),
});

const projectTableItemsSchema = z.strictObject({
  source: z.literal('project-table'),
  /** A table of the project's data section. */
  table: fieldName,
  /** The column whose distinct values are the items (each item's id is the value). */
  distinct: fieldName,
});

const nameListSchema = z.union([
  z.strictObject({ names: z.array(z.string()).min(1) }),
  z.strictObject({ path: z.string().min(1), field: fieldName }),
]);

const namePairsSchema = z.strictObject({
  source: z.literal('name-pairs'),
  left: nameListSchema,
  right: nameListSchema,
  /**
   * How candidate pairs are blocked: `normalised-key` pairs names whose normalised forms are equal,
   * `first-letters` names sharing the first `prefixLength` letters, `token-overlap` names sharing a token.
   */
  blocking: z.array(z.enum(['normalised-key', 'first-letters', 'token-overlap'])).min(1),
  prefixLength: z.int().min(1).max(10).default(3),
  /** Words dropped when normalising (e.g. club suffixes); data, so the engine knows no sport. */
  stopWords: z.array(z.string()).default([]),
  /** Pairs below this similarity (0–1) are not candidates. */
  minSimilarity: z.number().min(0).max(1).default(0),
});

export const labelClassSchema = z.strictObject({
  name: z.string().min(1),
  /** The key that gives this label; defaults to 1, 2, 3… in order. */
  key: z.string().min(1).optional(),
  description: z.string().optional(),
});

const labelSchemaSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('classes'), classes: z.array(labelClassSchema).min(2) }),
  z.strictObject({ kind: z.literal('multi-label'), classes: z.array(labelClassSchema).min(1) }),
  z.strictObject({
    kind: z.literal('pairwise'),
    /** Keys of match / no-match / unsure (defaults m, n, u). */
    keys: z
      .strictObject({ match: z.string(), 'no-match': z.string(), unsure: z.string() })
      .partial()
      .default({}),
  }),
]);

const conditionSchema = z.strictObject({
  field: fieldName,
  op: z.enum(['contains', 'not-contains', 'equals', 'not-equals', 'matches', 'in', 'gte', 'lte', 'missing']),
  value: z.union([z.string(), z.number(), z.array(z.union([z.string(), z.number()]))]).optional(),
  caseSensitive: z.boolean().default(false),
});
export type Condition = z.output<typeof conditionSchema>;

/** A labelling function: when every condition holds it votes `label`, otherwise it abstains. */
export const labellingFunctionSchema = z.strictObject({
  name: z.string().min(1),
  when: z.array(conditionSchema).min(1),
  label: z.string().min(1),
});
export type LabellingFunction = z.output<typeof labellingFunctionSchema>;

export const samplingSchema = z.strictObject({
  strategy: z.enum(['random', 'least-confidence', 'margin', 'entropy', 'diverse-batch']).default('random'),
  seed: z.int().default(1),
  /** Share of items always drawn at random and kept as the unbiased evaluation set. */
  evaluationShare: z.number().min(0).max(0.9).default(0.1),
  /** Share of labels followed, later, by the same item shown again to the same annotator. */
  selfOverlapShare: z.number().min(0).max(0.5).default(0.05),
  /** How many labels later a self-overlap item comes back. */
  selfOverlapGap: z.int().min(1).default(20),
  /** Size of each batch the diversity sampler picks before uncertainty is recomputed. */
  batchSize: z.int().min(1).default(50),
});

export const labellingTaskSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a slug: lower-case letters, digits and dashes'),
  title: z.string().optional(),
  /** A table file, name pairs, or (in a project file only) the distinct values of a project table's column. */
  items: z.discriminatedUnion('source', [tableItemsSchema, namePairsSchema, projectTableItemsSchema]),
  labels: labelSchemaSchema,
  guidelines: z.strictObject({ version: z.string().min(1), text: z.string().min(1) }),
  sampling: samplingSchema.default(samplingSchema.parse({})),
  /** Items with a known label, mixed into the queue to measure annotators. */
  gold: z
    .array(z.strictObject({ item: z.string(), label: z.union([z.string(), z.array(z.string())]) }))
    .default([]),
  labellingFunctions: z.array(labellingFunctionSchema).default([]),
});

export type LabellingTaskSpec = z.input<typeof labellingTaskSchema>;
export type LabellingTaskDeclaration = z.output<typeof labellingTaskSchema>;
export type TableItemsSpec = z.output<typeof tableItemsSchema>;
export type NamePairsSpec = z.output<typeof namePairsSchema>;
export type NameListSpec = z.output<typeof nameListSchema>;
export type ProjectTableItemsSpec = z.output<typeof projectTableItemsSchema>;
