import type { z } from 'zod';
import { MlfolioError } from '../../../portfolio/errors.ts';
import { didYouMean } from '../../../portfolio/suggest.ts';
import type { Task, TaskKind, TrainingSet } from '../task.ts';
import {
  type BaselineKind,
  baselineTasks,
  classPriorParamsSchema,
  fitBaseline,
  noParamsSchema,
  persistenceParamsSchema,
  ratingParamsSchema,
} from './baselines.ts';
import type { TaskArtifact } from './forecast.ts';
import { gradientBoostingParamsSchema } from './gradient-boosting.ts';
import { fitGradientBoosting } from './gradient-boosting-fit.ts';
import { fitLinear, type LinearKind, linearModelTasks, linearParamsSchema } from './linear.ts';
import { mlpParamsSchema } from './mlp.ts';

/** What the engine knows about a model kind: the tasks it fits, its params, how to fit it. */
export interface ModelKind {
  kind: string;
  /** A default label for tables and charts. */
  label: string;
  /** Baselines are what every candidate is compared against. */
  baseline: boolean;
  tasks: readonly TaskKind[];
  interpretability: 'high' | 'medium' | 'low';
  params: z.ZodType;
  fit(task: Task, data: TrainingSet, params: unknown, seed: number): Promise<TaskArtifact>;
}

const baseline = (kind: BaselineKind, label: string, params: z.ZodType): ModelKind => ({
  kind,
  label,
  baseline: true,
  tasks: baselineTasks[kind],
  interpretability: 'high',
  params,
  fit: async (task, data, p, seed) => fitBaseline(kind, task, data, p, seed),
});

const linear = (kind: LinearKind, label: string): ModelKind => ({
  kind,
  label,
  baseline: false,
  tasks: linearModelTasks[kind],
  interpretability: 'high',
  params: linearParamsSchema,
  fit: async (task, data, p, seed) =>
    fitLinear(kind, task, data, p as z.input<typeof linearParamsSchema>, seed),
});

/** Every model kind a project may declare. */
export const modelKinds: Readonly<Record<string, ModelKind>> = Object.fromEntries(
  [
    baseline('class-prior', 'Class frequencies', classPriorParamsSchema),
    baseline('mean', 'Training mean', noParamsSchema),
    baseline('median', 'Training median', noParamsSchema),
    baseline('mean-rate', 'Mean rate', noParamsSchema),
    baseline('persistence', 'Persistence', persistenceParamsSchema),
    baseline('rating', 'Rating model', ratingParamsSchema),
    linear('logistic-regression', 'Logistic regression'),
    linear('multinomial-logit', 'Multinomial logistic regression'),
    linear('ordinal-logit', 'Ordinal logit'),
    linear('ridge', 'Ridge regression'),
    linear('poisson-glm', 'Poisson regression'),
    {
      kind: 'gradient-boosting',
      label: 'Gradient-boosted trees',
      baseline: false,
      tasks: ['binary', 'multiclass', 'ordinal', 'regression', 'count'],
      interpretability: 'low',
      params: gradientBoostingParamsSchema,
      fit: async (task, data, p, seed) =>
        fitGradientBoosting(task, data, p as z.input<typeof gradientBoostingParamsSchema>, seed),
    } satisfies ModelKind,
    {
      kind: 'mlp',
      label: 'Neural network (MLP)',
      baseline: false,
      tasks: ['binary', 'multiclass', 'ordinal', 'regression', 'count'],
      interpretability: 'low',
      params: mlpParamsSchema,
      // Loaded when a model is fitted: TensorFlow.js takes a second to import, and loading a project
      // (which validates its models against this registry) must not pay for it.
      fit: async (task, data, p, seed) =>
        (await import('./mlp-fit.ts')).fitMlp(task, data, p as z.input<typeof mlpParamsSchema>, seed),
    } satisfies ModelKind,
  ].map((kind) => [kind.kind, kind]),
);

/** The kind named `name`, or an error naming the field, the nearest kind and the kinds that fit the task. */
export function modelKindOf(name: string, task: TaskKind, where: string): ModelKind {
  const kind = modelKinds[name];
  const fitting = Object.values(modelKinds)
    .filter((k) => k.tasks.includes(task))
    .map((k) => k.kind);
  if (!kind) {
    throw new MlfolioError({
      code: 'E_MODEL_KIND_UNKNOWN',
      message: `${where}: "${name}" is not a model kind.`,
      hint: `${didYouMean(name, Object.keys(modelKinds))} Kinds for a ${task} task: ${fitting.join(', ')}.`,
    });
  }
  if (!kind.tasks.includes(task)) {
    throw new MlfolioError({
      code: 'E_MODEL_TASK_MISMATCH',
      message: `${where}: a ${name} model cannot do a ${task} task (it does ${kind.tasks.join(', ')}).`,
      hint: `Kinds for a ${task} task: ${fitting.join(', ')}.`,
    });
  }
  return kind;
}
