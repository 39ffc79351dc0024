import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import got, { type Response } from 'got';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { appendDeployment } from '../../operations/deployment-record.ts';
import { rankedProbabilityScore } from '../../pipelines/evaluation/metrics.ts';
import { buildFeatureTable } from '../../pipelines/features/feature-table.ts';
import { fixtureFeatures } from '../../pipelines/features/match-features.ts';
import type { TeamState } from '../../pipelines/features/team-history.ts';
import { type ModelArtifact, predictProbabilities } from '../../pipelines/models/artifact.ts';
import { runProject } from '../../pipelines/run-project.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { collectOpenFootball } from '../../scrapers/sources/openfootball/index.ts';
import { type RunningServer, serveProject } from '../../serving/serve-project.ts';
import { exampleWorkspace } from '../helpers/example-workspace.ts';

// Responses are read as loose JSON; their shapes are what the assertions check.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = Record<string, any>;

let fixture: Awaited<ReturnType<typeof exampleWorkspace>>;
let run: RunRecord;
let runDir: string;
let server: RunningServer;
let testRows: { features: Record<string, number>; outcome: number }[];

const client = () =>
  got.extend({ prefixUrl: server.url, throwHttpErrors: false, retry: { limit: 0 }, responseType: 'json' });
const post = (path: string, json: unknown) => client().post(path, { json }) as Promise<Response<Json>>;
const postRaw = (path: string, body: string, contentType = 'application/json') =>
  client().post(path, { body, headers: { 'content-type': contentType } }) as Promise<Response<Json>>;

beforeAll(async () => {
  fixture = await exampleWorkspace();
  ({ record: run, runDir } = await runProject(fixture.workspace, fixture.project));
  // Serve the 11-feature logistic regression so contributions and standardisation are exercised.
  await appendDeployment(fixture.workspace, fixture.project.slug, {
    at: '2026-01-01T00:00:00.000Z',
    model: { runId: run.runId, runKey: run.key, modelId: 'logreg' },
    by: 'manual',
    reason: 'test',
  });
  server = await serveProject(fixture.workspace, fixture.project.slug, { port: 0 });
  const dataset = await collectOpenFootball(fixture.project.spec.source);
  const table = await buildFeatureTable(fixture.project.slug, dataset.records, fixture.project.spec.features);
  testRows = table.rows.filter((row) => run.split.test.seasons.includes(row.season));
}, 180_000);

afterAll(async () => {
  await server?.app.close();
  await fixture?.dispose();
});

const validFeatures = () => ({ ...testRows[0]!.features });

describe('predictions', () => {
  test('a fixture by team names gets probabilities, the model version and contributions that add up', async () => {
    const response = await post('v1/predictions', {
      fixture: { homeTeam: 'Arsenal', awayTeam: 'Chelsea', date: '2017-08-12' },
    });
    expect(response.statusCode).toBe(200);
    const { model, prediction } = response.body;
    expect(model).toMatchObject({ runId: run.runId, modelId: 'logreg', promotedBy: 'manual' });
    const classes = ['H', 'D', 'A'];
    expect(classes.reduce((sum, k) => sum + prediction.probabilities[k], 0)).toBeCloseTo(1, 12);
    expect(prediction.contributions).toHaveLength(run.task.features.length);
    for (const k of classes) {
      const total = prediction.contributions.reduce((sum: number, c: Json) => sum + c.probabilities[k], 0);
      expect(total).toBeCloseTo(prediction.probabilities[k] - prediction.reference[k], 12);
    }
  });

  test('team-name features are the pipeline’s features from the teams’ states at the end of the data', async () => {
    const states = JSON.parse(await readFile(join(runDir, 'team-state.json'), 'utf8')) as Record<
      string,
      TeamState
    >;
    const response = await post('v1/predictions', {
      fixture: { homeTeam: 'Barcelona', awayTeam: 'Atletico', date: '2017-09-01' },
      explain: false,
    });
    const expected = fixtureFeatures(states.Barcelona!, states.Atletico!, '2017-09-01');
    expect(response.body.prediction.features).toEqual(expected);
    expect(response.body.prediction.contributions).toBeUndefined();
  });

  test('the server gives the pipeline’s probabilities bit for bit, so its test score equals the recorded one', async () => {
    const artifact = JSON.parse(
      await readFile(join(runDir, 'models', 'logreg.json'), 'utf8'),
    ) as ModelArtifact;
    const served: number[][] = [];
    for (let start = 0; start < testRows.length; start += 256) {
      const items = testRows.slice(start, start + 256).map((row) => ({ features: row.features }));
      const response = await post('v1/predictions/batch', { items, explain: false });
      expect(response.statusCode).toBe(200);
      for (const p of response.body.predictions)
        served.push([p.probabilities.H, p.probabilities.D, p.probabilities.A]);
    }
    expect(served).toEqual(testRows.map((row) => predictProbabilities(artifact, row.features)));
    const recorded = run.models.find((m) => m.id === 'logreg')!.metrics.rps!.value;
    expect(
      rankedProbabilityScore(
        served,
        testRows.map((row) => row.outcome),
      ),
    ).toBe(recorded);
  });

  test('a batch mixes fixtures and raw features and answers in order', async () => {
    const response = await post('v1/predictions/batch', {
      items: [
        { features: validFeatures() },
        { fixture: { homeTeam: 'Arsenal', awayTeam: 'Chelsea', date: '2017-08-12' } },
      ],
    });
    expect(response.statusCode).toBe(200);
    expect(response.body.predictions).toHaveLength(2);
    expect(response.body.predictions[0].features).toEqual(validFeatures());
  });
});

describe('health, model and OpenAPI', () => {
  test('/health names the served model', async () => {
    const response = await client().get('health');
    expect(response.statusCode).toBe(200);
    expect((response.body as Json).model.modelId).toBe('logreg');
  });

  test('/v1/model reports the test metrics recorded for the served model', async () => {
    const body = (await client().get('v1/model')).body as Json;
    expect(body.metrics).toEqual(run.models.find((m) => m.id === 'logreg')!.metrics);
    expect(body.dataEnd).toBe(run.split.test.to);
  });

  test('/openapi.json describes the prediction request from the same schema the server enforces', async () => {
    const spec = (await client().get('openapi.json')).body as Json;
    expect(spec.openapi).toBe('3.0.3');
    const body = spec.paths['/v1/predictions'].post.requestBody.content['application/json'].schema;
    expect(Object.keys(body.properties)).toEqual(['fixture', 'features', 'explain']);
    expect(body.properties.features.properties.form_home).toMatchObject({ minimum: 0, maximum: 3 });
    expect(
      spec.paths['/v1/predictions/batch'].post.requestBody.content['application/json'].schema.properties.items
        .maxItems,
    ).toBe(256);
  });
});

describe('hostile and malformed requests get a 4xx naming the problem, never a prediction', () => {
  const features = (patch: Record<string, unknown>) => ({ features: { ...validFeatures(), ...patch } });
  const fixtureOf = (patch: Record<string, unknown>) => ({
    fixture: { homeTeam: 'Arsenal', awayTeam: 'Chelsea', date: '2017-08-12', ...patch },
  });
  // Bodies are built when a test runs, after beforeAll has loaded the test rows.
  const cases: { name: string; body: () => unknown; field: string; message: RegExp }[] = [
    {
      name: 'an unknown team, with a suggestion',
      body: () => fixtureOf({ homeTeam: 'Arsenall' }),
      field: 'body.fixture.homeTeam',
      message: /Did you mean "Arsenal"/,
    },
    {
      name: 'a team that matches nothing',
      body: () => fixtureOf({ awayTeam: 'Zzzzzz United FC' }),
      field: 'body.fixture.awayTeam',
      message: /GET \/v1\/teams/,
    },
    {
      name: 'a team playing itself',
      body: () => fixtureOf({ awayTeam: 'Arsenal' }),
      field: 'body.fixture.awayTeam',
      message: /itself/,
    },
    {
      name: 'a date inside the data (leakage)',
      body: () => fixtureOf({ date: '2017-01-01' }),
      field: 'body.fixture.date',
      message: /must be after/,
    },
    {
      name: 'an impossible date',
      body: () => fixtureOf({ date: '2017-02-30' }),
      field: 'body.fixture.date',
      message: /date/i,
    },
    {
      name: 'a misspelt field',
      body: () => ({ fixture: { hometeam: 'Arsenal', awayTeam: 'Chelsea', date: '2017-08-12' } }),
      field: 'body.fixture.hometeam',
      message: /Did you mean "homeTeam"/,
    },
    {
      name: 'a missing feature',
      body: () => ({ features: { ...validFeatures(), form_home: undefined } }),
      field: 'body.features.form_home',
      message: /missing/,
    },
    {
      name: 'a feature as a string',
      body: () => features({ elo_home: '1500' }),
      field: 'body.features.elo_home',
      message: /expected number/,
    },
    {
      name: 'a feature out of range',
      body: () => features({ form_home: 7 }),
      field: 'body.features.form_home',
      message: /3/,
    },
    {
      name: 'an inconsistent elo_diff',
      body: () => features({ elo_diff: 300 }),
      field: 'body.features.elo_diff',
      message: /elo_home − elo_away/,
    },
    {
      name: 'an unknown feature',
      body: () => features({ weather: 1 }),
      field: 'body.features.weather',
      message: /unknown field/,
    },
    {
      name: 'both inputs',
      body: () => ({ ...fixtureOf({}), ...features({}) }),
      field: 'body',
      message: /exactly one/,
    },
    { name: 'neither input', body: () => ({ explain: true }), field: 'body', message: /neither/ },
    {
      name: 'explain as a string',
      body: () => ({ ...fixtureOf({}), explain: 'yes' }),
      field: 'body.explain',
      message: /boolean/,
    },
    { name: 'an array body', body: () => [fixtureOf({})], field: 'body', message: /expected object/ },
  ];
  test.each(cases)('$name', async ({ body, field, message }) => {
    const response = await post('v1/predictions', body());
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_INVALID_REQUEST');
    const issue = response.body.error.issues.find((i: Json) => i.field === field);
    expect(issue, JSON.stringify(response.body.error.issues)).toBeDefined();
    expect(issue.message).toMatch(message);
    expect(response.body.prediction).toBeUndefined();
  });

  test('a number too large for a double (1e400 parses to Infinity) is named as such, not as null', async () => {
    const text = JSON.stringify(features({})).replace(/"elo_home":[^,]+/, '"elo_home":1e400');
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
      const text = JSON.stringify(features({})).replace(/"elo_home":[^,]+/, `"elo_home":${token}`);
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
    const response = await postRaw('v1/predictions', '{"fixture": {');
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_INVALID_JSON');
    expect(response.body.error.message).toMatch(/not valid JSON: .*position 13/);
  });

  test.each([
    {
      name: 'a "__proto__" key',
      body: '{"__proto__": {"admin": true}, "fixture": {}}',
      field: 'body.__proto__',
    },
    {
      name: 'a nested "__proto__" key',
      body: '{"fixture": {"homeTeam": "Arsenal", "__proto__": {"admin": true}}}',
      field: 'body.fixture.__proto__',
    },
    {
      name: 'a "constructor.prototype" key',
      body: '{"constructor": {"prototype": {"admin": true}}, "fixture": {}}',
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
      name: 'objects 3,000 deep inside a fixture',
      route: 'v1/predictions',
      body: `{"fixture":${'{"a":'.repeat(3000)}1${'}'.repeat(3000)}}`,
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
      `{"fixture": {"homeTeam": "${name}", "awayTeam": "Chelsea", "date": "2017-08-12"}}`,
    );
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_INVALID_REQUEST');
    expect(response.body.error.issues[0].field).toBe('body.fixture.homeTeam');
  });

  test('nesting up to the limit reaches validation', async () => {
    const response = await postRaw('v1/predictions', `{"features":${'['.repeat(15)}${']'.repeat(15)}}`);
    expect(response.statusCode).toBe(400);
    expect(response.body.error.code).toBe('E_INVALID_REQUEST');
  });

  test('an unsupported content type is a 415 naming it and what to send', async () => {
    const response = await postRaw('v1/predictions', 'homeTeam=Arsenal', 'application/x-www-form-urlencoded');
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
    const items = Array.from({ length: 257 }, () => ({ features: validFeatures() }));
    const response = await post('v1/predictions/batch', { items });
    expect(response.statusCode).toBe(400);
    expect(response.body.error.issues[0].field).toBe('body.items');
  });

  test('an explained batch over the explanation budget names the explain field and the limit', async () => {
    const limit = ((await client().get('v1/model')).body as Json).maxExplainedPerRequest;
    expect(limit).toBe(8); // 2^14 forward passes / 2^11 coalitions of the 11-feature model
    const items = Array.from({ length: limit + 1 }, () => ({ features: validFeatures() }));
    const response = await post('v1/predictions/batch', { items, explain: true });
    expect(response.statusCode).toBe(400);
    expect(response.body.error.issues[0].field).toBe('body.explain');
    expect(response.body.error.issues[0].message).toMatch(/at most 8 predictions/);
    expect((await post('v1/predictions/batch', { items: items.slice(1), explain: true })).statusCode).toBe(
      200,
    );
  });

  test('one bad item rejects the batch and names its index', async () => {
    const items = [
      { features: validFeatures() },
      { fixture: { homeTeam: 'Chelsea', awayTeam: 'Nowhere', date: '2017-08-12' } },
    ];
    const response = await post('v1/predictions/batch', { items });
    expect(response.statusCode).toBe(400);
    expect(response.body.error.issues.map((i: Json) => i.field)).toEqual(['body.items[1].fixture.awayTeam']);
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
