import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { parseJsonBody, RequestBodyError } from './json-body.ts';
import { type PredictionSchemas, predictionSchemas } from './prediction-schema.ts';
import type { Predictor } from './predictor.ts';
import { RequestValidationError } from './request-issues.ts';
import {
  batchResponseSchema,
  errorResponseSchema,
  healthResponseSchema,
  modelResponseSchema,
  singleResponseSchema,
  teamsResponseSchema,
} from './response-schema.ts';
import { defaultServerOptions, type ServerOptions } from './server-options.ts';
import { useZodSchemas, zodToOpenApi } from './zod-compilers.ts';

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
  let closing = false;

  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: options.bodyLimit,
    requestTimeout: options.requestTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs,
    connectionTimeout: options.requestTimeoutMs,
    // Idle keep-alive sockets close at once on shutdown; busy ones finish their request first.
    forceCloseConnections: 'idle',
    return503OnClosing: true,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 100 },
  });
  useZodSchemas(app);
  app.addHook('onClose', async () => {
    closing = true;
  });

  // Fastify's own parser answers a `__proto__` key, a bare NaN and a 5,000-deep array alike with
  // "Body is not valid JSON" (or, for the last, a stack overflow later): this one says which.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  app.setErrorHandler((error: FastifyError | RequestValidationError | RequestBodyError, request, reply) => {
    if (error instanceof RequestValidationError) {
      return reply
        .code(400)
        .send({ error: { code: error.code, message: error.message, issues: error.issues } });
    }
    if (error instanceof RequestBodyError) {
      return reply.code(400).send({ error: { code: error.code, message: error.message } });
    }
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const declared = Number(request.headers['content-length']);
      return reply.code(413).send({
        error: {
          code: 'E_BODY_TOO_LARGE',
          message: `The body is ${Number.isFinite(declared) && declared > 0 ? `${declared.toLocaleString('en')} bytes` : 'larger than the limit'}; the limit is ${options.bodyLimit.toLocaleString('en')} bytes (${formatBytes(options.bodyLimit)}). Send at most ${options.maxBatch} predictions per batch request, and split larger work into several requests.`,
        },
      });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      const type = request.headers['content-type'];
      return reply.code(415).send({
        error: {
          code: 'E_UNSUPPORTED_MEDIA_TYPE',
          message: `${type ? `Content-Type "${type.slice(0, 100)}" is not accepted` : 'The request has a body but no Content-Type'}; send the body as JSON with "Content-Type: application/json".`,
        },
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'prediction failed');
      return reply
        .code(500)
        .send({ error: { code: 'E_INTERNAL', message: 'An unexpected error; it has been logged.' } });
    }
    return reply
      .code(status)
      .send({ error: { code: error.code ?? 'E_BAD_REQUEST', message: error.message } });
  });

  // Every route's methods, so a known path asked with another method gets 405 and `Allow`.
  const methodsByPath = new Map<string, Set<string>>();
  app.addHook('onRoute', (route) => {
    const methods = methodsByPath.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    methodsByPath.set(route.url, methods);
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!.replace(/(.)\/+$/, '$1');
    const allowed = methodsByPath.get(path);
    if (allowed) {
      const allow = [...allowed].sort().join(', ');
      return reply
        .code(405)
        .header('allow', allow)
        .send({
          error: {
            code: 'E_METHOD_NOT_ALLOWED',
            message: `${request.method} is not allowed on ${path}; it answers ${allow}.${allowed.has('POST') ? ' Send a POST with a JSON body (Content-Type: application/json).' : ''}`,
          },
        });
    }
    return reply.code(404).send({
      error: {
        code: 'E_NOT_FOUND',
        message: `No route ${request.method} ${request.url.slice(0, 200)}. Routes: GET /health, GET /v1/model, GET /v1/teams, POST /v1/predictions, POST /v1/predictions/batch, GET /openapi.json.`,
      },
    });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: `mlfolio prediction API — ${predictor.version.project}`,
        version: `${predictor.version.runId}/${predictor.version.modelId}`,
        description:
          'Match-outcome probabilities from the promoted model, with the contributions behind each prediction.',
      },
      servers: [{ url: `http://${options.host}:${options.port}` }],
    },
    transform: zodToOpenApi,
  });

  const schemas: PredictionSchemas = predictionSchemas({
    features: predictor.features,
    teams: predictor.teams,
    dataEnd: predictor.dataEnd,
    maxBatch: options.maxBatch,
    maxExplained: predictor.maxExplained(options.explainBudget),
  });
  const errors = { 400: errorResponseSchema, 413: errorResponseSchema, 415: errorResponseSchema };

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get(
    '/health',
    { schema: { summary: 'Liveness, and the model being served', response: { 200: healthResponseSchema } } },
    async () => ({
      status: closing ? 'closing' : 'ok',
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

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 && bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
