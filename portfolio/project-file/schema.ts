import { z } from 'zod';
import { experimentSchema } from '../../experiments/experiment-spec.ts';
import { labellingTaskSchema } from '../../labelling/task-spec.ts';
import { featureViewSchema, roleSchema } from '../../pipelines/feature-store/feature-view-schema.ts';
import { taskMetricIds } from '../../pipelines/tasks/metrics.ts';
import { tableSpecSchema } from './data-spec.ts';
import { backtestSpecSchema, impactSpecSchema, splitSpecSchema, targetSpecSchema } from './question-spec.ts';

/**
 * A model as a project declares it. `params` are checked against the kind's own schema when the
 * project loads (`models/registry.ts`), so a misspelt parameter is named with its model.
 */
export const modelDeclarationSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, - or _'),
  kind: z.string().min(1),
  label: z.string().min(1).optional(),
  /** Feature columns this model uses; default every feature the project declares. */
  features: z.array(z.string().min(1)).min(1).optional(),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type ModelDeclaration = z.output<typeof modelDeclarationSchema>;

/**
 * Project file version 2: any tabular question over time. Data (tables, the events to predict,
 * and the roles entities play in them), the target and its task, the features as feature-store
 * views, the time split and backtest, the models, the metrics and the decision whose value is
 * measured. Validated once, here; everything downstream trusts the output type.
 */
export const projectFileSchema = z.strictObject({
  version: z.literal(2),
  title: z.string().min(1),
  summary: z.string().min(1),
  question: z.string().min(1),
  whyItMatters: z.string().min(1),
  data: z.strictObject({
    tables: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), tableSpecSchema),
    /** The table whose rows are predicted (default: the only table). */
    events: z.string().optional(),
    /** How entities appear in an event: `self` for a one-entity row, `home` and `away` for a match. */
    roles: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), roleSchema),
    /** Event columns that slice the test metrics (league, tournament, …). */
    sliceBy: z.array(z.string().min(1)).default([]),
  }),
  target: targetSpecSchema,
  features: z.array(featureViewSchema).min(1),
  /** The feature columns models use by default (default: every column the views output). */
  use: z.array(z.string().min(1)).min(1).optional(),
  split: splitSpecSchema.prefault({}),
  backtest: backtestSpecSchema.prefault({}),
  models: z.array(modelDeclarationSchema).min(1),
  metrics: z.array(z.enum(taskMetricIds)).min(1).optional(),
  primaryMetric: z.enum(taskMetricIds).optional(),
  leakageGuard: z.strictObject({ probes: z.number().int().positive().default(8) }).prefault({}),
  explain: z
    .strictObject({
      repeats: z.number().int().positive().default(5),
      partialDependence: z.number().int().nonnegative().default(3),
    })
    .prefault({}),
  impact: impactSpecSchema,
  /**
   * Online experiments between the project's models (`experiments/experiment-spec.ts`). Left out
   * of the run's hash: declaring or amending one never invalidates a run.
   */
  experiments: z.array(experimentSchema).optional(),
  /** Labelling tasks (see "Labelling" in the README); their labels become columns through `data.tables.<name>.labels`. */
  labelling: z.strictObject({ tasks: z.array(labellingTaskSchema).min(1) }).optional(),
  /**
   * Thresholds of `mlfolio monitor` (defaults in `operations/monitor-thresholds.ts`). Left out of
   * the run's hash: changing how a model is watched never invalidates its run.
   */
  monitoring: z
    .strictObject({
      /** PSI from which a feature's shift is moderate, and major. */
      psi: z
        .strictObject({ moderate: z.number().positive(), major: z.number().positive() })
        .refine((psi) => psi.moderate < psi.major, 'psi.moderate must be below psi.major')
        .optional(),
      /** Share of new events served with a stale feature above which the check says to watch. */
      staleShare: z.number().min(0).max(1).optional(),
    })
    .optional(),
  resamples: z.number().int().min(100).default(1000),
  seed: z.number().int().default(42),
  tags: z.array(z.string()).default([]),
});
export type ProjectFile = z.output<typeof projectFileSchema>;
export type ProjectFileInput = z.input<typeof projectFileSchema>;
