import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { ModelRef } from '../../operations/deployment-record.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { createApiServer } from '../api-server.ts';
import { errorResponseSchema, healthResponseSchema } from '../response-schema.ts';
import { listenOn } from '../server-lifecycle.ts';
import { defaultServerOptions, type ServerOptions } from '../server-options.ts';
import { loadDeclaredPredictor } from './declared-predictor.ts';
import { type EventRequestSchemas, eventRequestSchemas, type TaskPredictionItem } from './request-schema.ts';
import type { TaskPredictor } from './task-predictor.ts';
import {
  entitiesResponseSchema,
  taskBatchResponseSchema,
  taskModelResponseSchema,
  taskSingleResponseSchema,
} from './task-response-schema.ts';

export interface TaskServerDependencies {
  predictor: TaskPredictor;
  options?: Partial<ServerOptions>;
  logger?: FastifyServerOptions['logger'];
  now?: () => number;
}

/**
 * Builds a version 2 project's prediction API (not yet listening) on the shared skeleton: routes
 * GET /health, GET /v1/model, GET /v1/entities, POST /v1/predictions and /v1/predictions/batch,
 * with request schemas generated from the project. Closing the app closes the predictor.
 */
export async function buildTaskServer(deps: TaskServerDependencies): Promise<FastifyInstance> {
  const options = { ...defaultServerOptions, ...deps.options };
  const { predictor } = deps;
  const now = deps.now ?? Date.now;
  const started = now();
  const { version } = predictor;
  const { app, closing } = await createApiServer({
    options,
    logger: deps.logger,
    title: `mlfolio prediction API — ${version.project}`,
    version: `${version.runId}/${version.modelId}`,
    description: `${predictor.task.kind} forecasts from the deployed model, for an event named by its time, its ${Object.keys(predictor.request.roles).join(' and ')} and its own columns, with the features' as-of times, stale features and per-feature contributions.`,
  });
  app.addHook('onClose', async () => predictor.close());
  const maxExplained = predictor.maxExplained(options.explainBudget);
  const schemas: EventRequestSchemas = eventRequestSchemas({
    ...predictor.request,
    maxBatch: options.maxBatch,
    maxExplained,
  });
  const errors = { 400: errorResponseSchema, 413: errorResponseSchema, 415: errorResponseSchema };

  app.get(
    '/health',
    { schema: { summary: 'Liveness, and the model being served', response: { 200: healthResponseSchema } } },
    async () => ({
      status: closing() ? 'closing' : 'ok',
      model: version,
      uptimeSeconds: Math.round((now() - started) / 1000),
    }),
  );

  app.get(
    '/v1/model',
    {
      schema: {
        summary: 'The served model: version, task, request shape, test metrics',
        response: { 200: taskModelResponseSchema },
      },
    },
    async () => ({
      model: version,
      task: predictor.task.kind,
      classes: predictor.task.classes,
      features: predictor.features,
      event: {
        time: predictor.request.timeKind,
        season: predictor.request.seasonColumn,
        roles: predictor.request.roles,
        columns: predictor.request.columns.map((c) => c.name),
      },
      dataEnd: predictor.dataEnd,
      pointInTime: predictor.pointInTime,
      entities: Object.fromEntries(Object.entries(predictor.entities).map(([e, keys]) => [e, keys.length])),
      maxBatch: options.maxBatch,
      maxExplainedPerRequest: maxExplained,
      metrics: predictor.metrics,
      testPeriod: predictor.testPeriod,
    }),
  );

  app.get(
    '/v1/entities',
    {
      schema: {
        summary: 'Entity keys with history in the online store, per entity',
        response: { 200: entitiesResponseSchema },
      },
    },
    async () => ({ entities: predictor.entities }),
  );

  app.post(
    '/v1/predictions',
    {
      schema: {
        summary: 'Forecast one event',
        body: schemas.single,
        response: { 200: taskSingleResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { explain, ...item } = request.body as { explain: boolean } & TaskPredictionItem;
      return { model: version, prediction: await predictor.predict(item, explain) };
    },
  );

  app.post(
    '/v1/predictions/batch',
    {
      schema: {
        summary: `Forecast up to ${options.maxBatch} events`,
        body: schemas.batch,
        response: { 200: taskBatchResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { items, explain } = request.body as { items: TaskPredictionItem[]; explain: boolean };
      return { model: version, predictions: await predictor.predictBatch(items, explain) };
    },
  );

  return app;
}

export interface RunningTaskServer {
  app: FastifyInstance;
  predictor: TaskPredictor;
  /** `http://host:port` */
  url: string;
}

/**
 * Serves a version 2 project's deployed model (or `extra.model`, reported as `promotedBy:
 * "manual"`) until `app.close()`. `extra.pointInTime` serves past events as of their own time
 * (what `mlfolio replay` sends); otherwise only events after the end of the data are served.
 */
export async function serveDeclaredProject(
  workspace: Workspace,
  slug: string,
  options: Partial<ServerOptions> = {},
  extra: {
    logger?: FastifyServerOptions['logger'];
    model?: ModelRef;
    pointInTime?: boolean;
    /** Called with the built app before it listens: mount more routes (an experiment) here. */
    mount?: (app: FastifyInstance, predictor: TaskPredictor) => Promise<void> | void;
  } = {},
): Promise<RunningTaskServer> {
  const predictor = await loadDeclaredPredictor(workspace, slug, {
    ...(extra.model ? { model: extra.model } : {}),
    ...(extra.pointInTime ? { pointInTime: true } : {}),
  });
  const settings = { ...defaultServerOptions, ...options };
  let app: FastifyInstance;
  try {
    app = await buildTaskServer({
      predictor,
      options: settings,
      ...(extra.logger === undefined ? {} : { logger: extra.logger }),
    });
  } catch (error) {
    predictor.close();
    throw error;
  }
  try {
    await extra.mount?.(app, predictor);
    return { app, predictor, url: await listenOn(app, settings) };
  } catch (error) {
    // Closing the app closes the predictor and whatever the mount registered to close with it.
    await app.close();
    throw error;
  }
}
