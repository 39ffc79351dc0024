import swagger from '@fastify/swagger';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { parseJsonBody, RequestBodyError } from './json-body.ts';
import { RequestValidationError } from './request-issues.ts';
import type { ServerOptions } from './server-options.ts';
import { useZodSchemas, zodToOpenApi } from './zod-compilers.ts';

export interface ApiServerSpec {
  options: ServerOptions;
  /** Pino logger options (a level and a stream; see request-log.ts), or false for none (tests). */
  logger?: FastifyServerOptions['logger'] | undefined;
  /** OpenAPI title, version and description. */
  title: string;
  version: string;
  description: string;
}

/**
 * The skeleton every prediction API shares (not yet listening, no routes but `/openapi.json`):
 * body, time and connection limits; a JSON parser that says what is wrong with a body; 400 with
 * every field's issue, 405 with `Allow`, 413, 415 and 404 listing the routes; errors logged, never
 * leaked; zod schemas for requests, responses and the OpenAPI description; graceful close
 * (idle sockets closed at once, new requests on busy ones answered 503). `closing()` turns true
 * once the server starts closing.
 */
export async function createApiServer(
  spec: ApiServerSpec,
): Promise<{ app: FastifyInstance; closing: () => boolean }> {
  const { options } = spec;
  let closing = false;

  const app = Fastify({
    logger: spec.logger ?? false,
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
        message: `No route ${request.method} ${request.url.slice(0, 200)}. Routes: ${routeList(methodsByPath)}.`,
      },
    });
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: spec.title, version: spec.version, description: spec.description },
      servers: [{ url: `http://${options.host}:${options.port}` }],
    },
    transform: zodToOpenApi,
  });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return { app, closing: () => closing };
}

function routeList(methodsByPath: Map<string, Set<string>>): string {
  return [...methodsByPath]
    .filter(([path]) => !path.startsWith('/documentation'))
    .flatMap(([path, methods]) => [...methods].filter((m) => m !== 'HEAD').map((m) => `${m} ${path}`))
    .join(', ');
}

function formatBytes(bytes: number): string {
  return bytes % 1024 === 0 && bytes >= 1024 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}
