import { experimentProblems } from '../../experiments/project-experiments.ts';
import { checkMetricsForTask, defaultPrimaryMetric } from '../../pipelines/tasks/metrics.ts';
import { modelKindOf } from '../../pipelines/tasks/models/registry.ts';
import { MlfolioError } from '../errors.ts';
import { didYouMean } from '../suggest.ts';
import { labellingProblems } from './check-labelling.ts';
import type { ProjectFile } from './schema.ts';

/**
 * The checks a schema cannot make, because they relate fields: every model kind fits the task and
 * its params are valid, model ids are unique and every id a field names exists, there is a baseline,
 * the metrics fit the task, the decision rule fits the task, the events table and roles exist.
 * Fills in the task's default metrics. Throws one error listing every problem.
 */
export function checkProjectFile(file: ProjectFile, specFile: string): void {
  const problems: string[] = [];
  const task = file.target.task;
  const tables = Object.keys(file.data.tables);
  if (tables.length === 0) problems.push('data.tables: declare at least one table.');
  if (file.data.events && !tables.includes(file.data.events)) {
    problems.push(
      `data.events: no table is named "${file.data.events}". ${didYouMean(file.data.events, tables)}`,
    );
  }
  if (tables.length > 1 && !file.data.events) {
    problems.push(
      `data.events: the project has ${tables.length} tables; name the one whose rows are predicted.`,
    );
  }
  if (Object.keys(file.data.roles).length === 0) {
    problems.push(
      'data.roles: declare at least one role (`self` for a one-entity row, `home` and `away` for a match).',
    );
  }
  if (!file.target.column && !file.target.future) {
    problems.push('target: give a column, or a future value (target.future).');
  }
  if (file.target.future && !file.data.roles[file.target.future.role]) {
    problems.push(
      `target.future.role: "${file.target.future.role}" is not a declared role. ${didYouMean(file.target.future.role, Object.keys(file.data.roles))}`,
    );
  }

  const ids = new Set<string>();
  let baselines = 0;
  for (const [i, model] of file.models.entries()) {
    if (ids.has(model.id)) problems.push(`models[${i}].id: duplicate model id "${model.id}".`);
    ids.add(model.id);
    try {
      const kind = modelKindOf(model.kind, task, `models[${i}].kind`);
      if (kind.baseline) baselines++;
      const params = kind.params.safeParse(model.params);
      if (!params.success) {
        for (const issue of params.error.issues) {
          const field = `models[${i}].params${issue.path.length ? `.${issue.path.join('.')}` : ''}`;
          const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
          const known = Object.keys((kind.params as unknown as { shape?: object }).shape ?? {});
          problems.push(
            keys.length
              ? keys
                  .map(
                    (key) => `${field}.${key}: unknown parameter of ${model.kind}. ${didYouMean(key, known)}`,
                  )
                  .join('\n  - ')
              : `${field}: ${issue.message}.`,
          );
        }
      } else {
        model.params = params.data as Record<string, unknown>;
      }
    } catch (error) {
      if (error instanceof MlfolioError) problems.push(`${error.message} ${error.hint ?? ''}`.trim());
      else throw error;
    }
  }
  if (baselines === 0 && file.models.length) {
    problems.push(
      'models: declare at least one baseline (class-prior, mean, median, mean-rate, persistence or rating), so every candidate is compared with something simple.',
    );
  }
  const unknownIds = (list: readonly string[] | undefined, field: string) => {
    for (const [i, id] of (list ?? []).entries()) {
      if (!ids.has(id)) problems.push(`${field}[${i}]: no model has id "${id}". ${didYouMean(id, [...ids])}`);
    }
  };
  unknownIds(file.impact.compareWith, 'impact.compareWith');
  unknownIds(file.backtest.models, 'backtest.models');
  if ('model' in file.impact.statusQuo) unknownIds([file.impact.statusQuo.model], 'impact.statusQuo.model');

  const rule = file.impact.rule.rule;
  const classification = task === 'binary' || task === 'multiclass' || task === 'ordinal';
  if ((rule === 'pick' || rule === 'threshold') && !classification) {
    problems.push(
      `impact.rule: "${rule}" decides on class probabilities; a ${task} task uses "estimate" or "top-k".`,
    );
  }
  if (rule === 'threshold' && task !== 'binary') {
    problems.push(`impact.rule: "threshold" needs a binary task; a ${task} task uses "pick".`);
  }
  if (rule === 'estimate' && classification) {
    problems.push(
      `impact.rule: "estimate" values a number; a ${task} task uses "pick"${task === 'binary' ? ' or "threshold"' : ''}.`,
    );
  }

  try {
    if (file.metrics) checkMetricsForTask(task, file.metrics, 'metrics');
    if (file.primaryMetric)
      checkMetricsForTask(task, [file.primaryMetric], 'primaryMetric', { primary: true });
  } catch (error) {
    if (error instanceof MlfolioError) problems.push(`${error.message} ${error.hint ?? ''}`.trim());
    else throw error;
  }
  problems.push(...labellingProblems(file));
  if (!file.primaryMetric) file.primaryMetric = defaultPrimaryMetric(task);
  if (file.metrics && !file.metrics.includes(file.primaryMetric)) file.metrics.unshift(file.primaryMetric);
  problems.push(...experimentProblems(file));

  if (problems.length) {
    throw new MlfolioError({
      code: 'E_PROJECT_FILE_INVALID',
      message: `${specFile} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
      hint: `Fix the field${problems.length > 1 ? 's' : ''} above in ${specFile} and run the command again.`,
    });
  }
}
