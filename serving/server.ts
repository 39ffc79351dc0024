import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { createApiServer } from './api-server.ts';
import { type PredictionSchemas, predictionSchemas } from './prediction-schema.ts';
import type { Predictor } from './predictor.ts';
import {
  batchResponseSchema,
  errorResponseSchema,
  healthResponseSchema,
  modelResponseSchema,
  singleResponseSchema,
  teamsResponseSchema,
} from './response-schema.ts';
import { defaultServerOptions, type ServerOptions } from './server-options.ts';

export interface ServerDependencies {
  predictor: Predictor;
  /** Test metrics of the served model, from its run record. */
  metrics: Record<string, { value: number; lower?: number | undefined; upper?: number | undefined }>;
  testPeriod: { seasons: string[]; from: string; to: string; rows: number };
  options?: Partial<ServerOptions>;
  /** Pino logger options (a level and a stream; see request-log.ts), or false for none (tests). */
  logger?: FastifyServerOptions['logger'];
  /** Awaited before each prediction is computed: lets tests hold a request in flight. */
  beforePredict?: () => Promise<void>;
  now?: () => number;
}

/** Builds the prediction API (not yet listening). */
export async function buildServer(deps: ServerDependencies): Promise<FastifyInstance> {
  const options = { ...defaultServerOptions, ...deps.options };
  const { predictor } = deps;
  const now = deps.now ?? Date.now;
  const started = now();
  const { app, closing } = await createApiServer({
    options,
    logger: deps.logger,
    title: `mlfolio prediction API — ${predictor.version.project}`,
    version: `${predictor.version.runId}/${predictor.version.modelId}`,
    description:
      'Match-outcome probabilities from the promoted model, with the contributions behind each prediction.',
  });

  const schemas: PredictionSchemas = predictionSchemas({
    features: predictor.features,
    teams: predictor.teams,
    dataEnd: predictor.dataEnd,
    maxBatch: options.maxBatch,
    maxExplained: predictor.maxExplained(options.explainBudget),
  });
  const errors = { 400: errorResponseSchema, 413: errorResponseSchema, 415: errorResponseSchema };

  app.get(
    '/health',
    { schema: { summary: 'Liveness, and the model being served', response: { 200: healthResponseSchema } } },
    async () => ({
      status: closing() ? 'closing' : 'ok',
      model: predictor.version,
      uptimeSeconds: Math.round((now() - started) / 1000),
    }),
  );

  app.get(
    '/v1/model',
    {
      schema: {
        summary: 'The served model: version, inputs, test metrics',
        response: { 200: modelResponseSchema },
      },
    },
    async () => ({
      model: predictor.version,
      classes: predictor.classes,
      features: predictor.features,
      dataEnd: predictor.dataEnd,
      teams: predictor.teams.length,
      maxBatch: options.maxBatch,
      maxExplainedPerRequest: predictor.maxExplained(options.explainBudget),
      metrics: deps.metrics,
      testPeriod: deps.testPeriod,
    }),
  );

  app.get(
    '/v1/teams',
    { schema: { summary: 'Team names accepted in fixtures', response: { 200: teamsResponseSchema } } },
    async () => ({ teams: predictor.teams }),
  );

  app.post(
    '/v1/predictions',
    {
      schema: {
        summary: 'Predict one match',
        body: schemas.single,
        response: { 200: singleResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { explain, ...input } = request.body as ReturnType<PredictionSchemas['single']['parse']>;
      await deps.beforePredict?.();
      return { model: predictor.version, prediction: predictor.predict(input, explain) };
    },
  );

  app.post(
    '/v1/predictions/batch',
    {
      schema: {
        summary: `Predict up to ${options.maxBatch} matches`,
        body: schemas.batch,
        response: { 200: batchResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { items, explain } = request.body as ReturnType<PredictionSchemas['batch']['parse']>;
      await deps.beforePredict?.();
      return { model: predictor.version, predictions: items.map((item) => predictor.predict(item, explain)) };
    },
  );

  return app;
}
