import got, { type Response } from 'got';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type RunningTaskServer, serveDeclaredProject } from '../../serving/declared/task-server.ts';
import { defaultServerOptions } from '../../serving/server-options.ts';
import { declaredWorkspace } from '../helpers/declared-workspace.ts';

// Responses are read as loose JSON; their shapes are what the assertions check.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = Record<string, any>;

const intl = 'international-match-outcomes';
let fixture: Awaited<ReturnType<typeof declaredWorkspace>>;
let server: RunningTaskServer;
/** The feature row the server computes for a real event: a valid `features` body to corrupt. */
let served: Record<string, number>;

const client = () =>
  got.extend({ prefixUrl: server.url, throwHttpErrors: false, retry: { limit: 0 }, responseType: 'json' });
const post = (path: string, json: unknown) => client().post(path, { json }) as Promise<Response<Json>>;
const postRaw = (path: string, body: string, contentType = 'application/json') =>
  client().post(path, { body, headers: { 'content-type': contentType } }) as Promise<Response<Json>>;
const event = (home = 'Brazil', away = 'Argentina') => ({
  event: { time: '2026-08-01', entities: { home, away }, columns: { neutral: false } },
});
const features = (patch: Record<string, unknown> = {}) => ({ features: { ...served, ...patch } });

beforeAll(async () => {
  fixture = await declaredWorkspace();
  server = await serveDeclaredProject(fixture.workspace, intl, { port: 0 });
  const response = await post('v1/predictions', event());
  expect(response.statusCode).toBe(200);
  served = response.body.prediction.features;
}, 600_000);

afterAll(async () => {
  await server?.app.close();
  await fixture?.dispose();
});

describe('hostile and malformed bodies get a 4xx naming the problem, never a forecast', () => {
  test('a number too large for a double (1e400 parses to Infinity) is named as such, not as null', async () => {
    const text = JSON.stringify(features()).replace(/"elo_home":[^,}]+/, '"elo_home":1e400');
    const response = await postRaw('v1/predictions', text);
    expect(response.statusCode).toBe(400);
    expect(response.body.error.issues).toEqual([
      {
        field: 'body.features.elo_home',
        message: expect.stringMatching(/beyond the range of a double.*Infinity/),
      },
    ]);
    expect(JSON.stringify(response.body)).not.toMatch(/null/);
  });

  test('a body full of such numbers gets the first 20 named, not one issue per value', async () => {
    const response = await postRaw(
      'v1/predictions',
      `{"features": [${Array(5000).fill('1e400').join(',')}]}`,
    );
    expect(response.statusCode).toBe(400);
    const issues = response.body.error.issues;
    expect(issues).toHaveLength(21);
    expect(issues[19].field).toBe('body.features[19]');
    expect(issues[20]).toEqual({
      field: 'body',
      message: 'more values like these; only the first 20 are listed.',
    });
  });

  test.each(['NaN', '-Infinity'])(
    'a bare %s is named, with where it is and why JSON refuses it',
    async (token) => {
      const text = JSON.stringify(features()).replace(/"elo_home":[^,}]+/, `"elo_home":${token}`);
      const response = await postRaw('v1/predictions', text);
      expect(response.statusCode).toBe(400);
      expect(response.body.error.code).toBe('E_INVALID_JSON');
      const column = text.indexOf(token) + 1;
      expect(response.body.error.message).toBe(
        `The body is not valid JSON: bare ${token} at line 1, column ${column}. JSON has no NaN or Infinity; send a finite number, or leave the field out.`,
      );
    },
  );

  test('an empty body, with or without a JSON content type, is a 400', async () => {
    const empty = await postRaw('v1/predictions', '');
    expect(empty.statusCode).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'E_INVALID_JSON', message: /The body is empty/ });
    const none = (await client().post('v1/predictions')) as Response<Json>;
    expect(none.statusCode).toBe(400);
    expect(none.body.error.issues[0]).toEqual({ field: 'body', message: 'expected object, received null.' });
  });

  test('invalid JSON is a 400 saying where', async () => {
    const response = await postRaw('v1/predictions', '{"event": {');
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_INVALID_JSON');
    expect(response.body.error.message).toMatch(/not valid JSON: .*position 11/);
  });

  test.each([
    {
      name: 'a "__proto__" key',
      body: '{"__proto__": {"admin": true}, "event": {}}',
      field: 'body.__proto__',
    },
    {
      name: 'a nested "__proto__" key',
      body: '{"event": {"time": "2026-08-01", "__proto__": {"admin": true}}}',
      field: 'body.event.__proto__',
    },
    {
      name: 'a "constructor.prototype" key',
      body: '{"constructor": {"prototype": {"admin": true}}, "event": {}}',
      field: 'body.constructor',
    },
  ])('$name is valid JSON, and the 400 says why it is refused and where', async ({ body, field }) => {
    const response = await postRaw('v1/predictions', body);
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_INVALID_REQUEST');
    expect(response.body.error.issues).toEqual([
      { field, message: expect.stringMatching(/is valid JSON, but .*prototype poisoning.*Remove the key/) },
    ]);
  });

  // 10 KB of brackets once overflowed the stack while the validation error was formatted (a 500).
  test.each([
    { name: 'arrays 5,000 deep', route: 'v1/predictions', body: `${'['.repeat(5000)}${']'.repeat(5000)}` },
    {
      name: 'objects 3,000 deep inside an event',
      route: 'v1/predictions',
      body: `{"event":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
    },
    {
      name: 'arrays 5,000 deep as batch items',
      route: 'v1/predictions/batch',
      body: `{"items":${'['.repeat(5000)}${']'.repeat(5000)}}`,
    },
    { name: 'arrays 17 deep', route: 'v1/predictions', body: `${'['.repeat(17)}${']'.repeat(17)}` },
  ])('$name get a 400 naming the depth limit, before validation', async ({ route, body }) => {
    const response = await postRaw(route, body);
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_BODY_TOO_DEEP');
    expect(response.body.error.message).toMatch(/more than 16 deep \(at line 1, column \d+\)/);
  });

  test('brackets and escaped quotes inside strings do not count as nesting', async () => {
    const name = `${'['.repeat(20)}\\"${'{'.repeat(20)}\\\\`;
    const response = await postRaw(
      'v1/predictions',
      `{"event": {"time": "2026-08-01", "entities": {"home": "${name}", "away": "Peru"}, "columns": {"neutral": "no"}}}`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_INVALID_REQUEST');
    expect(response.body.error.issues[0].field).toBe('body.event.columns.neutral');
  });

  test('nesting up to the limit reaches validation', async () => {
    const response = await postRaw('v1/predictions', `{"features":${'['.repeat(15)}${']'.repeat(15)}}`);
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_INVALID_REQUEST');
  });

  test('an unsupported content type is a 415 naming it and what to send', async () => {
    const response = await postRaw('v1/predictions', 'home=Brazil', 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(415);
    expect(response.body.error).toEqual({
      code: 'E_UNSUPPORTED_MEDIA_TYPE',
      message:
        'Content-Type "application/x-www-form-urlencoded" is not accepted; send the body as JSON with "Content-Type: application/json".',
    });
  });

  test('a body over the size limit is a 413 giving its size, the limit and what to do', async () => {
    const body = JSON.stringify({ padding: 'x'.repeat(300 * 1024) });
    const response = await postRaw('v1/predictions', body);
    expect(response.statusCode).toBe(413);
    expect(response.body.error.code).toBe('E_BODY_TOO_LARGE');
    expect(response.body.error.message).toBe(
      `The body is ${body.length.toLocaleString('en')} bytes; the limit is 262,144 bytes (256 KiB). Send at most 256 predictions per batch request, and split larger work into several requests.`,
    );
  });

  test('a batch over the limit names the items field', async () => {
    const items = Array.from({ length: defaultServerOptions.maxBatch + 1 }, () => features());
    const response = await post('v1/predictions/batch', { items });
    expect(response.statusCode).toBe(400);
    expect(response.body.error.issues[0].field).toBe('body.items');
  });

  test('an explained batch over the explanation budget names the explain field and the limit', async () => {
    const model = (await client().get('v1/model')).body as Json;
    const limit = model.maxExplainedPerRequest;
    // Exact contributions cost 2^features forward passes per prediction, within the server's budget.
    expect(limit).toBe(
      Math.max(1, Math.floor(defaultServerOptions.explainBudget / 2 ** model.features.length)),
    );
    const items = Array.from({ length: limit + 1 }, () => features());
    const response = await post('v1/predictions/batch', { items, explain: true });
    expect(response.statusCode).toBe(400);
    expect(response.body.error.issues[0].field).toBe('body.explain');
    expect(response.body.error.issues[0].message).toMatch(new RegExp(`at most ${limit} predictions`));
    const within = await post('v1/predictions/batch', { items: items.slice(1), explain: true });
    expect(within.statusCode).toBe(200);
  });

  test('one bad item rejects the batch and names its index', async () => {
    const items = [features(), { event: { ...event().event, columns: { neutral: 'maybe' } } }];
    const response = await post('v1/predictions/batch', { items });
    expect(response.statusCode).toBe(400);
    expect(response.body.error.issues.map((i: Json) => i.field)).toEqual([
      'body.items[1].event.columns.neutral',
    ]);
  });

  test('a known route asked with the wrong method is a 405 with Allow', async () => {
    const response = (await client().get('v1/predictions')) as Response<Json>;
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
    expect(response.body.error).toEqual({
      code: 'E_METHOD_NOT_ALLOWED',
      message:
        'GET is not allowed on /v1/predictions; it answers POST. Send a POST with a JSON body (Content-Type: application/json).',
    });
    const health = (await client().delete('health/')) as Response<Json>;
    expect(health.statusCode).toBe(405);
    expect(health.headers.allow).toBe('GET, HEAD');
  });

  test('an unknown route is a JSON 404 listing the routes', async () => {
    const response = (await client().get('v1/predict')) as Response<Json>;
    expect(response.statusCode).toBe(404);
    expect(response.body.error.message).toMatch(/POST \/v1\/predictions/);
  });
});
