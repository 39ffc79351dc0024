/**
 * The version 1 project file: a club-football match-outcome project, the only kind mlfolio ran
 * before version 2. It is read only to be upgraded (upgrade-v1.ts, by `loadProjectFile`), so it
 * lives with the template it describes.
 */
import { z } from 'zod';
import { metricNames } from '../../pipelines/evaluation/metrics.ts';
import { didYouMean } from '../../portfolio/suggest.ts';

/** Features the match-outcome task knows how to compute, each strictly from earlier matches. */
export const matchFeatureNames = [
  'elo_home',
  'elo_away',
  'elo_diff',
  'form_home',
  'form_away',
  'goal_diff_home',
  'goal_diff_away',
  'home_form_at_home',
  'away_form_away',
  'rest_days_home',
  'rest_days_away',
] as const;
export type MatchFeatureName = (typeof matchFeatureNames)[number];

const sourceSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('openfootball'),
    /** `offline` reads the OpenFootball subset bundled in the vega-datasets package; `live` fetches. */
    transport: z.enum(['offline', 'live']).default('offline'),
    /** For the live transport: seasons such as `2016-17` and league codes such as `en.1`. */
    seasons: z.array(z.string().regex(/^\d{4}-\d{2}$/)).optional(),
    leagues: z.array(z.string()).optional(),
    baseUrl: z.url().optional(),
  }),
]);

const priorModel = z.strictObject({ id: z.string(), kind: z.literal('prior'), label: z.string().optional() });
const eloModel = z.strictObject({ id: z.string(), kind: z.literal('elo'), label: z.string().optional() });
const logisticModel = z.strictObject({
  id: z.string(),
  kind: z.literal('logistic-regression'),
  label: z.string().optional(),
  params: z
    .strictObject({
      /** `newton`: exact second-order fit in plain JavaScript; `tfjs-adam`: TensorFlow.js gradient steps (epochs, learningRate). */
      solver: z.enum(['newton', 'tfjs-adam']).default('newton'),
      l2: z.number().nonnegative().default(1e-3),
      epochs: z.number().int().positive().default(300),
      learningRate: z.number().positive().default(0.05),
    })
    .prefault({}),
});
const mlpModel = z.strictObject({
  id: z.string(),
  kind: z.literal('mlp'),
  label: z.string().optional(),
  params: z
    .strictObject({
      hidden: z.array(z.number().int().positive()).min(1).default([16]),
      epochs: z.number().int().positive().default(40),
      batchSize: z.number().int().positive().default(64),
      learningRate: z.number().positive().default(0.003),
      l2: z.number().nonnegative().default(1e-4),
    })
    .prefault({}),
});
const boostingModel = z.strictObject({
  id: z.string(),
  kind: z.literal('gradient-boosting'),
  label: z.string().optional(),
  params: z
    .strictObject({
      rounds: z.number().int().positive().default(150),
      learningRate: z.number().positive().max(1).default(0.05),
      maxDepth: z.number().int().positive().max(8).default(3),
      minLeafRows: z.number().int().positive().default(40),
      /** Quantile bins per feature; split thresholds are bin edges. */
      bins: z.number().int().min(2).max(255).default(32),
      l2: z.number().nonnegative().default(1),
      /** Share of rows drawn (without replacement, seeded) for each round. */
      subsample: z.number().positive().max(1).default(0.8),
    })
    .prefault({}),
});
export const modelSpecSchema = z.discriminatedUnion('kind', [
  priorModel,
  eloModel,
  logisticModel,
  mlpModel,
  boostingModel,
]);
export type ModelSpec = z.output<typeof modelSpecSchema>;
export const modelKinds = ['prior', 'elo', 'logistic-regression', 'mlp', 'gradient-boosting'] as const;

/** Policies a tipping decision can be compared against: a rule, or the picks of a declared model. */
const statusQuoPolicies = ['always-home', 'always-draw', 'always-away'] as const;
export type StatusQuoPolicy = (typeof statusQuoPolicies)[number];

const impactSchema = z.strictObject({
  /** What the forecasts are used to decide, in one sentence. */
  decision: z.string().min(1).default('Tip the result of every match of the test season'),
  /** The unit of value: what one correct decision earns. */
  unit: z.string().min(1).default('points'),
  /** Value function: points for a correct tip, and for a wrong one. */
  value: z
    .strictObject({
      correct: z.number().default(1),
      wrong: z.number().default(0),
    })
    .prefault({}),
  /** What people do today without a model. */
  statusQuo: z.enum(statusQuoPolicies).default('always-home'),
  /** Model ids whose picks the model policy is also compared against (e.g. the Elo baseline). */
  compareWith: z.array(z.string()).default([]),
  /**
   * A betting policy against the market, simulated where the data carry bookmaker odds (the
   * football-data CSV format): stake on the outcome whose expected return exceeds `edge`.
   */
  betting: z
    .strictObject({
      edge: z.number().min(0).default(0.05),
      stake: z.number().positive().default(1),
      /** Odds columns prefix in football-data CSVs: Avg (market average), B365, PS (Pinnacle)… */
      bookmaker: z.string().default('Avg'),
    })
    .prefault({}),
});
export type ImpactSpec = z.output<typeof impactSchema>;

export const projectSpecSchema = z
  .strictObject({
    title: z.string().min(1),
    summary: z.string().min(1),
    question: z.string().min(1),
    whyItMatters: z.string().min(1),
    task: z.literal('match-outcome').default('match-outcome'),
    source: sourceSchema,
    features: z.array(z.enum(matchFeatureNames)).min(1),
    split: z
      .strictObject({
        by: z.literal('season').default('season'),
        /** How many of the latest seasons are held out for the final test. */
        testSeasons: z.number().int().positive().default(1),
      })
      .prefault({}),
    models: z.array(modelSpecSchema).min(1),
    metrics: z.array(z.enum(metricNames)).min(1).default(['rps', 'log_loss', 'brier', 'accuracy']),
    primaryMetric: z.enum(metricNames).default('rps'),
    /** Rolling-origin backtest: train on seasons up to N, test on N+1, for every N. */
    backtest: z
      .strictObject({
        enabled: z.boolean().default(true),
        /** The first fold trains on this many seasons. */
        minTrainSeasons: z.number().int().positive().default(1),
        /** Model ids to backtest; default every declared model. */
        models: z.array(z.string()).optional(),
      })
      .prefault({}),
    /** Fails the run if a test row's features change when that day's and later results change. */
    leakageGuard: z
      .strictObject({
        /** Match days probed (spread evenly over the test period). */
        probes: z.number().int().positive().default(12),
      })
      .prefault({}),
    /** Explanation of the best candidate model. */
    explain: z
      .strictObject({
        /** Shuffles per feature for permutation importance. */
        repeats: z.number().int().positive().default(5),
        /** Features drawn as partial-dependence curves (the most important first). */
        partialDependence: z.number().int().nonnegative().default(3),
      })
      .prefault({}),
    impact: impactSchema.prefault({}),
    /** Bootstrap resamples behind every interval. */
    resamples: z.number().int().min(100).default(1000),
    seed: z.number().int().default(42),
    tags: z.array(z.string()).default([]),
  })
  .superRefine((spec, context) => {
    const seen = new Set<string>();
    for (const [index, model] of spec.models.entries()) {
      if (seen.has(model.id)) {
        context.addIssue({
          code: 'custom',
          path: ['models', index, 'id'],
          message: `duplicate model id "${model.id}"`,
        });
      }
      seen.add(model.id);
    }
    const ids = new Set(spec.models.map((model) => model.id));
    const unknown = (list: readonly string[] | undefined) => (list ?? []).filter((id) => !ids.has(id));
    if (!spec.models.some((model) => model.kind === 'prior' || model.kind === 'elo')) {
      // Ids that name a missing baseline are the same mistake: say it once, without a misleading
      // nearest id.
      const dangling = (
        [
          ['impact.compareWith', unknown(spec.impact.compareWith)],
          ['backtest.models', unknown(spec.backtest.models)],
        ] as const
      )
        .filter(([, list]) => list.length)
        .map(([field, list]) => `${field} names ${list.map((id) => `"${id}"`).join(', ')}`);
      context.addIssue({
        code: 'custom',
        path: ['models'],
        message: `declare at least one baseline model (kind "prior" or "elo") so results can be compared${
          dangling.length ? ` (${dangling.join('; ')}, not declared either)` : ''
        }`,
      });
      return;
    }
    const unknownIds = (list: readonly string[] | undefined, path: (string | number)[]) => {
      for (const [index, id] of (list ?? []).entries()) {
        if (!ids.has(id)) {
          context.addIssue({
            code: 'custom',
            path: [...path, index],
            message: `no model has id "${id}". ${didYouMean(id, [...ids])}`,
          });
        }
      }
    };
    unknownIds(spec.impact.compareWith, ['impact', 'compareWith']);
    unknownIds(spec.backtest.models, ['backtest', 'models']);
  });
export type ProjectSpec = z.output<typeof projectSpecSchema>;
