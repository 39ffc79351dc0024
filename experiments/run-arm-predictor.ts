import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunRecord } from '../pipelines/runs/run-record.ts';
import { forecastWith, type TaskArtifact } from '../pipelines/tasks/models/forecast.ts';
import { isClassification, type Task } from '../pipelines/tasks/task.ts';
import { MlfolioError } from '../portfolio/errors.ts';
import { didYouMean } from '../portfolio/suggest.ts';
import type { ArmPredictor } from './serving.ts';

/**
 * An arm served by a model of an engine run from a request's own point-in-time features
 * (`{ features: { <name>: number }, asOf? }`): the forecast the run's evaluation computes for the
 * same row, answered as `{ probabilities: { <class>: p } }` for classification or the forecast
 * itself. A missing or non-finite feature is an error naming it (the arm's failure is logged).
 */
export async function runArmPredictor(
  runDir: string,
  run: RunRecord,
  modelId: string,
): Promise<ArmPredictor> {
  const model = run.models.find((m) => m.id === modelId);
  if (!model) {
    throw new MlfolioError({
      code: 'E_MODEL_UNKNOWN',
      message: `Run ${run.runId} has no model "${modelId}".`,
      hint: didYouMean(
        modelId,
        run.models.map((m) => m.id),
      ),
    });
  }
  const file = join(runDir, model.artifact ?? `models/${modelId}.json`);
  const artifact = JSON.parse(await readFile(file, 'utf8')) as TaskArtifact;
  const task: Task =
    run.task.kind === 'regression' || run.task.kind === 'count'
      ? { kind: run.task.kind }
      : { kind: run.task.kind as 'binary', classes: run.task.classes };
  return {
    version: `${run.runId}/${modelId}`,
    predict(input) {
      const body = input as { features?: Record<string, unknown>; asOf?: unknown } | null;
      const features = body?.features;
      if (typeof features !== 'object' || features === null) {
        throw new Error('input.features: expected an object of feature values');
      }
      const row = artifact.featureNames.map((name) => {
        const value = features[name];
        if (typeof value !== 'number' || !Number.isFinite(value)) {
          throw new Error(
            `input.features.${name}: expected a finite number; received ${JSON.stringify(value)}`,
          );
        }
        return value;
      });
      const forecast = forecastWith(artifact, row);
      const prediction =
        isClassification(task) && forecast.kind === 'probabilities'
          ? { probabilities: Object.fromEntries(task.classes.map((label, k) => [label, forecast.p[k]!])) }
          : forecast;
      return {
        prediction,
        ...(typeof body?.asOf === 'string' ? { featuresAsOf: body.asOf } : {}),
      };
    },
  };
}
