import { z } from 'zod';
import { type MatchFeatureName, matchFeatureNames } from '../portfolio/project-spec.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import { eloDiffTolerance, featureBounds } from './feature-bounds.ts';

/** What the request schemas are built from: the deployed model's run and team states. */
export interface SchemaContext {
  features: readonly string[];
  teams: readonly string[];
  /** The date of the last match in the data the team states describe (YYYY-MM-DD); fixtures must be later. */
  dataEnd: string;
  maxBatch: number;
  /** Most predictions one request may ask to explain (see `explainedPredictionsLimit`). */
  maxExplained: number;
}

/**
 * Exact contributions evaluate the model on every coalition of the features it reads: 2^d forward
 * passes per prediction (2,048 for 11 features). A request may spend at most `budget` passes on
 * explanations, so a large explained batch cannot block the server's event loop for seconds.
 */
export function explainedPredictionsLimit(featuresRead: number, budget: number): number {
  return Math.max(1, Math.floor(budget / 2 ** featuresRead));
}

const teamName = z.string().min(1).max(100);

/**
 * Request and response schemas of the prediction API, built once per deployed model so that
 * feature names, team names and dates are checked against what that model knows. Every check
 * that can fail names its field; none lets a prediction be made from garbage.
 */
export function predictionSchemas(context: SchemaContext) {
  const teams = new Set(context.teams);
  const fixture = z
    .strictObject({
      homeTeam: teamName.describe('Home team, as named in the data (GET /v1/teams lists them).'),
      awayTeam: teamName.describe('Away team.'),
      date: z.iso
        .date()
        .describe(`Kick-off date (YYYY-MM-DD), after ${context.dataEnd}, the end of the data.`),
    })
    .superRefine((value, ctx) => {
      for (const side of ['homeTeam', 'awayTeam'] as const) {
        if (!teams.has(value[side])) {
          ctx.addIssue({
            code: 'custom',
            path: [side],
            input: value[side],
            message: `unknown team. ${didYouMean(value[side], context.teams).replace(/^Valid values:.*/, 'GET /v1/teams lists the teams.')}`,
          });
        }
      }
      if (value.homeTeam === value.awayTeam) {
        ctx.addIssue({ code: 'custom', path: ['awayTeam'], message: 'a team cannot play itself' });
      }
      if (value.date <= context.dataEnd) {
        ctx.addIssue({
          code: 'custom',
          path: ['date'],
          input: value.date,
          message: `must be after ${context.dataEnd}: team states describe the end of the data, so an earlier fixture would be predicted with knowledge of its own and later results`,
        });
      }
    });

  const known = context.features.filter((name): name is MatchFeatureName =>
    (matchFeatureNames as readonly string[]).includes(name),
  );
  const shape = Object.fromEntries(
    context.features.map((name) => {
      const bounds = featureBounds[name as MatchFeatureName];
      const number = z.number();
      return [
        name,
        bounds
          ? number.min(bounds.min).max(bounds.max).describe(bounds.meaning)
          : number.refine(Number.isFinite),
      ];
    }),
  );
  const features = z.strictObject(shape).superRefine((value, ctx) => {
    const v = value as Record<string, number>;
    if (known.includes('elo_diff') && known.includes('elo_home') && known.includes('elo_away')) {
      const expected = v.elo_home! - v.elo_away!;
      if (Math.abs(v.elo_diff! - expected) > eloDiffTolerance) {
        ctx.addIssue({
          code: 'custom',
          path: ['elo_diff'],
          input: v.elo_diff,
          message: `must equal elo_home − elo_away (${expected})`,
        });
      }
    }
  });

  const itemFields = {
    fixture: fixture.optional().describe('Predict a fixture from the teams’ states at the end of the data.'),
    features: features
      .optional()
      .describe('Predict from raw feature values (every feature the model reads).'),
  };
  const explain = z
    .boolean()
    .default(true)
    .describe('Include per-feature contributions (exact baseline Shapley values).');
  const item = z.strictObject(itemFields).superRefine(exactlyOneInput);
  return {
    single: z.strictObject({ ...itemFields, explain }).superRefine(exactlyOneInput),
    batch: predictionBatchSchema(item, explain, context),
  };
}

/**
 * A batch of prediction items with one `explain` flag for all of them, refusing to explain more
 * items than `maxExplained` (contributions cost one model evaluation per feature coalition).
 * Shared by the version 1 and version 2 request schemas.
 */
export function predictionBatchSchema<T extends z.ZodType>(
  item: T,
  explain: z.ZodDefault<z.ZodBoolean>,
  context: { maxBatch: number; maxExplained: number },
) {
  return z
    .strictObject({
      items: z.array(item).min(1).max(context.maxBatch).describe(`1 to ${context.maxBatch} predictions.`),
      explain: explain.describe(
        `Include per-feature contributions; allowed for at most ${context.maxExplained} items per request.`,
      ),
    })
    .superRefine((value, ctx) => {
      if (value.explain && value.items.length > context.maxExplained) {
        ctx.addIssue({
          code: 'custom',
          path: ['explain'],
          input: value.explain,
          message: `contributions are exact and cost one model evaluation per feature coalition, so at most ${context.maxExplained} predictions per request can be explained (got ${value.items.length}); send "explain": false, or split the batch`,
        });
      }
    });
}

export type PredictionSchemas = ReturnType<typeof predictionSchemas>;
export type PredictionInput = z.output<PredictionSchemas['single']>;
export type BatchInput = z.output<PredictionSchemas['batch']>;

function exactlyOneInput(value: { fixture?: unknown; features?: unknown }, ctx: z.RefinementCtx): void {
  const given = Number(value.fixture !== undefined) + Number(value.features !== undefined);
  if (given !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `give exactly one of "fixture" or "features" (got ${given === 0 ? 'neither' : 'both'})`,
    });
  }
}
