import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ExitCode, MlfolioError } from '../portfolio/errors.ts';
import { type AssignmentPlan, assign } from './assignment.ts';
import type { Experiment } from './experiment-spec.ts';
import type { Exposure, ExposureLog } from './exposure-log.ts';

/** What an arm's predictor returns for one unit. */
export interface ArmPrediction {
  prediction: unknown;
  /** As-of time of the features used (point-in-time), logged with the exposure. */
  featuresAsOf?: string;
  /** Pre-assignment covariates read with the features (e.g. a baseline score), for CUPED. */
  covariates?: Record<string, number>;
}

/** One arm's model, as serving holds it. `predict` may be synchronous or not. */
export interface ArmPredictor {
  /** Model version logged with each exposure (run id and model id, say). */
  version: string;
  predict(input: unknown): ArmPrediction | Promise<ArmPrediction>;
}

export interface ExperimentServingOptions {
  experiment: Pick<Experiment, 'key' | 'mode' | 'seed' | 'arms' | 'layer' | 'holdoutPercent'>;
  /** A predictor for every arm's model id. */
  arms: Record<string, ArmPredictor>;
  log: ExposureLog;
  now?: () => Date;
  /**
   * `request`: each request says when it happens (`at`), for a replay of past traffic, so the
   * exposure times are the events' own and daily looks are real days. Off (the server's clock)
   * outside a replay: a live request's `at` is refused.
   */
  clock?: 'server' | 'request';
  /**
   * Checks a request's `input` before the unit is assigned, throwing an error with `statusCode`
   * 400 for a malformed one: a bad request is the client's fault, not an arm failure, so it is
   * answered 400 and not logged.
   */
  validate?: (input: unknown) => void;
}

/** The answer to one unit's request. */
export interface ExperimentAnswer {
  experiment: string;
  unit: string;
  /** The arm whose prediction is returned (the control for shadow, holdout and out-of-layer units). */
  arm: string;
  modelVersion: string;
  /** Whether the unit is in the experiment (and so was logged). */
  inExperiment: boolean;
  prediction: unknown;
}

/**
 * Serves one unit of an experiment: assigns it, predicts with its arm (A/B) or with every arm
 * (shadow, answering with the control), and appends the exposures to the log synchronously
 * *before* returning, so no answered exposure can be lost. Units outside the experiment (holdout,
 * outside the layer range) are answered by the control and not logged. A failing arm is logged
 * with its error (the error-rate guardrail counts it) and rethrown as `E_ARM_FAILED` (A/B) or, in
 * shadow mode for a non-control arm, logged only.
 */
export function experimentServer(options: ExperimentServingOptions) {
  const { experiment, arms, log } = options;
  const now = options.now ?? (() => new Date());
  const control = experiment.arms.find((arm) => arm.control)?.model;
  for (const arm of experiment.arms) {
    if (!arms[arm.model]) {
      throw new MlfolioError({
        code: 'E_ARM_PREDICTOR_MISSING',
        message: `Experiment "${experiment.key}" has no predictor for arm "${arm.model}"; received predictors for ${Object.keys(arms).join(', ') || 'no arm'}.`,
        hint: 'Load every arm’s model before serving the experiment.',
      });
    }
  }
  if (!control) throw new Error(`Experiment ${experiment.key} has no control arm`);
  const plan: AssignmentPlan = experiment;

  async function score(arm: string, unit: string, input: unknown, role: Exposure['role'], when: Date) {
    const predictor = arms[arm]!;
    const at = when.toISOString();
    const started = performance.now();
    try {
      const result = await predictor.predict(input);
      const exposure: Exposure = {
        experiment: experiment.key,
        unit,
        arm,
        role,
        at,
        modelVersion: predictor.version,
        ...(result.featuresAsOf === undefined ? {} : { featuresAsOf: result.featuresAsOf }),
        prediction: result.prediction,
        ...(result.covariates === undefined ? {} : { covariates: result.covariates }),
        latencyMs: performance.now() - started,
      };
      return { exposure, result, error: undefined };
    } catch (error) {
      const exposure: Exposure = {
        experiment: experiment.key,
        unit,
        arm,
        role,
        at,
        modelVersion: predictor.version,
        latencyMs: performance.now() - started,
        error: error instanceof Error ? error.message : String(error),
      };
      return { exposure, result: undefined, error };
    }
  }

  return async function serve(unit: string, input: unknown, at?: Date): Promise<ExperimentAnswer> {
    const when = at ?? now();
    const assignment = assign(plan, unit);
    if (assignment.status !== 'assigned') {
      const predictor = arms[control]!;
      const { prediction } = await predictor.predict(input);
      return {
        experiment: experiment.key,
        unit,
        arm: control,
        modelVersion: predictor.version,
        inExperiment: false,
        prediction,
      };
    }
    const served = experiment.mode === 'shadow' ? control : assignment.arm;
    const scored =
      experiment.mode === 'shadow'
        ? await Promise.all(
            experiment.arms.map((arm) =>
              score(arm.model, unit, input, arm.model === served ? 'served' : 'shadow', when),
            ),
          )
        : [await score(served, unit, input, 'served', when)];
    // Written before the answer leaves: an answered exposure is always in the log.
    log.append(scored.map((s) => s.exposure));
    const answer = scored.find((s) => s.exposure.role === 'served')!;
    if (answer.error !== undefined) {
      throw new MlfolioError(
        {
          code: 'E_ARM_FAILED',
          message: `Arm "${served}" of experiment "${experiment.key}" failed to predict for unit "${unit}": ${answer.exposure.error}`,
          hint: 'The failure is logged and counts against the arm’s error-rate guardrail.',
          exitCode: ExitCode.unavailable,
          retryable: true,
        },
        { cause: answer.error },
      );
    }
    return {
      experiment: experiment.key,
      unit,
      arm: served,
      modelVersion: answer.exposure.modelVersion,
      inExperiment: true,
      prediction: answer.result!.prediction,
    };
  };
}

/**
 * A fastify plugin serving `POST <prefix>/experiments/<key>/predictions` with body
 * `{ unit: string, input: unknown }` (and `at`, an ISO time, when `clock` is `request`),
 * answering `ExperimentAnswer`. A failed arm answers 502 with the error's code; a request without
 * a unit, or with an `at` the server does not take, answers 400.
 */
export const experimentPlugin: FastifyPluginAsync<ExperimentServingOptions> = async (
  app: FastifyInstance,
  options,
) => {
  const serve = experimentServer(options);
  // Checked here rather than by a route schema, so the plugin works under any validator compiler
  // (the project servers compile zod schemas, a bare Fastify app JSON schemas).
  const body = z.strictObject({
    unit: z.string().min(1).max(512),
    input: z.unknown(),
    ...(options.clock === 'request' ? { at: z.string().min(10).max(40) } : {}),
  });
  app.post(`/experiments/${options.experiment.key}/predictions`, async (request, reply) => {
    const parsed = body.safeParse(request.body);
    if (!parsed.success || !('input' in (request.body as object))) {
      const issues = parsed.success
        ? [{ field: 'body.input', message: 'is required' }]
        : parsed.error.issues.map((issue) => ({
            field: ['body', ...issue.path.map(String)].join('.'),
            message: issue.message,
          }));
      return reply.code(400).send({
        error: {
          code: 'E_INVALID_REQUEST',
          message: `The request is not valid: ${issues.map((i) => `${i.field} ${i.message}`).join('; ')}.`,
          hint: `Send {"unit": "<unit id>", "input": {...}${options.clock === 'request' ? ', "at": "<ISO time>"' : ''}}.`,
          issues,
        },
      });
    }
    const { unit, input, at } = parsed.data as { unit: string; input: unknown; at?: string };
    options.validate?.(input);
    const when = at === undefined ? undefined : new Date(at);
    if (when !== undefined && Number.isNaN(when.getTime())) {
      return reply.code(400).send({
        error: {
          code: 'E_INVALID_REQUEST',
          message: `body.at: not a date or time; received ${JSON.stringify(at)}.`,
          hint: 'Send an ISO date (2025-06-01) or time (2025-06-01T18:00:00Z).',
        },
      });
    }
    try {
      return await serve(unit, input, when);
    } catch (error) {
      if (error instanceof MlfolioError) {
        return reply
          .code(502)
          .send({ error: { code: error.code, message: error.message, hint: error.hint } });
      }
      throw error;
    }
  });
};
