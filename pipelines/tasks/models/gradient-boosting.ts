/**
 * Gradient-boosted trees with the task's own loss: logistic (binary), softmax (multiclass, ordinal),
 * squared error (regression, with a Gaussian sd from held-back residuals) and Poisson with a log link
 * (count). The artifact is plain JSON, checked here; its forward pass, bundled into the in-browser
 * demo, is in `gradient-boosting-forecast.ts`; training in `gradient-boosting-fit.ts`.
 */
import { z } from 'zod';
import { boostingLossNames } from './boosting-loss.ts';
import { taskSchema } from './task-schema.ts';

export const gradientBoostingParamsSchema = z.strictObject({
  /** Boosting rounds (one tree per round, or one per class per round for softmax). */
  rounds: z.int().min(1).max(100_000).default(100),
  learningRate: z.number().gt(0).max(1).default(0.1),
  /** Most leaves per tree; trees grow best-first. */
  maxLeaves: z.int().min(2).max(65_536).default(31),
  /** Most edges from root to leaf; null for no limit (then `maxLeaves` alone bounds a tree). */
  maxDepth: z.int().min(1).max(64).nullable().default(null),
  minLeafRows: z.int().min(1).default(20),
  /** Quantile bins per feature (at most 255, as scikit-learn's max_bins). */
  bins: z.int().min(2).max(255).default(255),
  /** L2 penalty on leaf values. */
  l2: z.number().min(0).default(0),
  /** Fraction of the training rows each round's trees see (seeded); 1 uses every row. */
  subsample: z.number().gt(0).max(1).default(1),
  /**
   * Fraction of the training rows, taken from the end (the latest rows: training sets are in time
   * order), held back to measure the regression sd and, when `earlyStoppingRounds` > 0, to stop.
   * Unused by other tasks without early stopping.
   */
  heldBackFraction: z.number().gt(0).max(0.5).default(0.2),
  /** Stop when the held-back loss has not improved for this many rounds; 0 turns early stopping off. */
  earlyStoppingRounds: z.int().min(0).default(0),
  /**
   * After the held-back pass, refit on every row for the rounds it chose (true), or keep the model
   * fitted without the held-back rows (false: the sd then describes exactly that model).
   */
  refit: z.boolean().default(true),
  /**
   * Ordinal tasks: `cumulative-logit` (one score and ordered cut points, P(y ≤ k) = σ(θ_k − f)) or
   * `softmax` (the classes' order unused by the model, as for multiclass).
   */
  ordinalLoss: z.enum(['cumulative-logit', 'softmax']).default('cumulative-logit'),
});
export type GradientBoostingParams = z.output<typeof gradientBoostingParamsSchema>;
export type GradientBoostingParamsInput = z.input<typeof gradientBoostingParamsSchema>;

/**
 * One regression tree as flat node arrays (root 0). A node with `feature[n] === -1` is a leaf worth
 * `value[n]` (learning rate included); otherwise a row goes left when `x[feature[n]] ≤ threshold[n]`.
 */
export const boostedTreeSchema = z
  .strictObject({
    feature: z.array(z.int().min(-1)),
    threshold: z.array(z.number()),
    left: z.array(z.int().min(-1)),
    right: z.array(z.int().min(-1)),
    value: z.array(z.number()),
  })
  .refine(
    (tree) => {
      const n = tree.feature.length;
      if (n === 0 || [tree.threshold, tree.left, tree.right, tree.value].some((a) => a.length !== n))
        return false;
      // Children point forward, so every walk from the root ends at a leaf.
      return tree.feature.every(
        (f, node) =>
          f === -1 ||
          (tree.left[node]! > node &&
            tree.left[node]! < n &&
            tree.right[node]! > node &&
            tree.right[node]! < n),
      );
    },
    { message: 'tree node arrays must have one equal, non-zero length and children after their parent' },
  );
export type BoostedTree = z.infer<typeof boostedTreeSchema>;

export const gradientBoostingArtifactSchema = z
  .strictObject({
    kind: z.literal('gradient-boosting'),
    task: taskSchema,
    featureNames: z.array(z.string()).min(1),
    /** Starting raw scores: log-odds (binary), log priors (softmax), mean (regression), log-mean (count). */
    init: z.array(z.number()).min(1),
    /** trees[round][output]: each adds its leaf value to one raw score. */
    trees: z.array(z.array(boostedTreeSchema).min(1)),
    /** Cumulative-logit ordinal only: increasing cut points θ_k, one fewer than the classes. */
    thresholds: z.array(z.number()).min(1).optional(),
    /** Regression only: the Gaussian forecast's sd, the root mean square of held-back residuals. */
    sd: z.number().positive().optional(),
    training: z.strictObject({
      loss: z.enum(boostingLossNames),
      rows: z.int().min(1),
      /** Rows held back at the end of the training set (0 when nothing was held back). */
      heldBackRows: z.int().min(0),
      /** Rounds kept (after early stopping); equals `trees.length`. */
      rounds: z.int().min(0),
      refit: z.boolean(),
    }),
  })
  .superRefine((artifact, context) => {
    const softmaxOutputs = artifact.training.loss === 'softmax' && 'classes' in artifact.task;
    const outputs = softmaxOutputs && 'classes' in artifact.task ? artifact.task.classes.length : 1;
    const cumulative = artifact.training.loss === 'cumulative-logit';
    if (cumulative !== (artifact.task.kind === 'ordinal' && artifact.thresholds !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['thresholds'],
        message: 'an ordinal cumulative-logit artifact has thresholds, and only one',
      });
    }
    const cuts = artifact.thresholds ?? [];
    if (
      cumulative &&
      'classes' in artifact.task &&
      (cuts.length !== artifact.task.classes.length - 1 || cuts.some((c, k) => k > 0 && c <= cuts[k - 1]!))
    ) {
      context.addIssue({
        code: 'custom',
        path: ['thresholds'],
        message: `expected ${artifact.task.classes.length - 1} increasing thresholds`,
      });
    }
    if (artifact.init.length !== outputs || artifact.trees.some((round) => round.length !== outputs)) {
      context.addIssue({
        code: 'custom',
        path: ['trees'],
        message: `expected ${outputs} raw score(s) per round for a ${artifact.task.kind} task`,
      });
    }
    if ((artifact.task.kind === 'regression') !== (artifact.sd !== undefined)) {
      context.addIssue({
        code: 'custom',
        path: ['sd'],
        message: 'a regression artifact has an sd, and only a regression artifact',
      });
    }
    const d = artifact.featureNames.length;
    if (artifact.trees.some((round) => round.some((tree) => tree.feature.some((f) => f >= d)))) {
      context.addIssue({ code: 'custom', path: ['trees'], message: `a split names a feature index ≥ ${d}` });
    }
  });
export type GradientBoostingArtifact = z.infer<typeof gradientBoostingArtifactSchema>;
