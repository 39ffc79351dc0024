import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import got, { type Response } from 'got';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ExposureLog, readExposureLog } from '../../experiments/exposure-log.ts';
import { experimentPlugin } from '../../experiments/serving.ts';
import { auditProject } from '../../learning/audit/audit-project.ts';
import { loadTaskModel } from '../../operations/deployed-task-model.ts';
import { collectTable } from '../../pipelines/collect/collect-table.ts';
import { eventsSpecOf, featureStoreSpecOf } from '../../pipelines/engine/feature-store-spec.ts';
import {
  formulaEvaluator,
  materializeOnlineStore,
  openFeatureStore,
  serveFeatureRow,
  trainingRow,
} from '../../pipelines/feature-store/index.ts';
import { forecastWith, type TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { projectPaths } from '../../portfolio/workspace.ts';
import { armPredictorFor, loadArmPredictors } from '../../serving/declared/arm-predictor.ts';
import { loadDeclaredPredictor } from '../../serving/declared/declared-predictor.ts';
import {
  heldOutEvents,
  pointInTimeRequestTimeoutMs,
  replayThroughServer,
} from '../../serving/declared/held-out-replay.ts';
import { replayHeldOut } from '../../serving/declared/replay-held-out.ts';
import { type RunningTaskServer, serveDeclaredProject } from '../../serving/declared/task-server.ts';
import { mlfolio } from '../e2e/workspace.ts';
import { type DeclaredSlug, declaredWorkspace } from '../helpers/declared-workspace.ts';

// Responses are read as loose JSON; their shapes are what the assertions check.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = Record<string, any>;

let fixture: Awaited<ReturnType<typeof declaredWorkspace>>;
const servers = {} as Record<DeclaredSlug, RunningTaskServer>;
let pointInTime: RunningTaskServer;

const intl = 'international-match-outcomes';
const mlb = 'mlb-team-wins';
const client = (slug: DeclaredSlug) =>
  got.extend({
    prefixUrl: servers[slug].url,
    throwHttpErrors: false,
    retry: { limit: 0 },
    responseType: 'json',
  });
const post = (slug: DeclaredSlug, path: string, json: unknown) =>
  client(slug).post(path, { json }) as Promise<Response<Json>>;

const match = (home: string, away: string, time = '2026-08-01', neutral = false) => ({
  event: { time, entities: { home, away }, columns: { neutral } },
});
const season2021 = {
  event: {
    time: '2021',
    entities: { self: 'NYY' },
    columns: { wins162: 95, run_diff_per_game: 1.2, ERA: 3.7, hr_per_game: 1.4, pythag162: 99 },
  },
};

beforeAll(async () => {
  fixture = await declaredWorkspace();
  for (const slug of [intl, mlb] as const) {
    servers[slug] = await serveDeclaredProject(fixture.workspace, slug, { port: 0 });
  }
  pointInTime = await serveDeclaredProject(
    fixture.workspace,
    intl,
    { port: 0, requestTimeoutMs: pointInTimeRequestTimeoutMs },
    { pointInTime: true },
  );
}, 600_000);

afterAll(async () => {
  for (const server of [...Object.values(servers), pointInTime]) await server?.app.close();
  await fixture?.dispose();
});

const artifactOf = async (slug: DeclaredSlug, modelId: string) => {
  const run = fixture.runs[slug];
  const model = run.models.find((m) => m.id === modelId)!;
  const dir = join(projectPaths(fixture.workspace, slug).runsDir, run.runId);
  return JSON.parse(await readFile(join(dir, model.artifact), 'utf8')) as TaskArtifact;
};

describe('a binary project (international football) served by entity keys', () => {
  test('an event by its nations gets class probabilities, the most likely class and the deployed model', async () => {
    const response = await post(intl, 'v1/predictions', match('Brazil', 'Argentina'));
    expect(response.statusCode).toBe(200);
    const { model, prediction } = response.body;
    const run = fixture.runs[intl];
    expect(model).toMatchObject({
      runId: run.runId,
      modelId: run.bestCandidate,
      promotedBy: 'latest-run-best',
    });
    const p = prediction.probabilities as Record<string, number>;
    expect(Object.keys(p)).toEqual(['false', 'true']);
    expect(p.false! + p.true!).toBeCloseTo(1, 12);
    expect(prediction.mostLikely).toBe(p.true! > p.false! ? 'true' : 'false');
    expect(prediction.unknownEntities).toEqual([]);
    expect(prediction.stale).toEqual([]);
    // Ratings are read from the data's end; the venue is the event's own column.
    expect(prediction.asOf.neutral_venue).toBe('2026-08-01');
    expect(prediction.asOf.elo_home <= '2026-07-19').toBe(true);
    expect(prediction.featuresAsOf).toBe('2026-08-01');
    expect(prediction.features.neutral_venue).toBe(0);
  });

  test('the features given directly get the same forecast as the model artifact computes', async () => {
    const byEvent = (await post(intl, 'v1/predictions', match('Brazil', 'Argentina'))).body.prediction;
    const byFeatures = (await post(intl, 'v1/predictions', { features: byEvent.features })).body.prediction;
    expect(byFeatures.forecast).toEqual(byEvent.forecast);
    expect(byFeatures.asOf.elo_home).toBeNull();
    const artifact = await artifactOf(intl, fixture.runs[intl].bestCandidate!);
    const expected = forecastWith(
      artifact,
      artifact.featureNames.map((name) => byEvent.features[name]),
    );
    expect(byEvent.forecast).toEqual(expected);
  });

  test('an unknown nation gets the views’ priors and is flagged, not refused', async () => {
    const response = await post(intl, 'v1/predictions', match('Brazil', 'Atlantis'));
    expect(response.statusCode).toBe(200);
    const { prediction } = response.body;
    expect(prediction.unknownEntities).toEqual([{ role: 'away', entity: 'nation', key: 'Atlantis' }]);
    expect(prediction.features.elo_away).toBe(1500);
    expect(prediction.features.goals_scored_away).toBe(1.4);
    expect(prediction.asOf.elo_away).toBeNull();
  });

  test('a feature read past its TTL is reported as stale, with its age', async () => {
    const response = await post(intl, 'v1/predictions', match('Brazil', 'Argentina', '2030-06-01'));
    expect(response.statusCode).toBe(200);
    const stale = response.body.prediction.stale as Json[];
    const byFeature = Object.fromEntries(stale.map((s) => [s.feature, s]));
    // Elo lives 1,000 days and the goal averages 730: four years after the data, all are stale.
    for (const feature of ['elo_home', 'elo_away', 'goals_scored_home', 'goals_conceded_away']) {
      expect(byFeature[feature]).toMatchObject({ unit: 'days' });
      expect(byFeature[feature].age).toBeGreaterThan(Number.parseInt(byFeature[feature].ttl, 10));
    }
  });

  test('contributions add up to the forecast minus the reference forecast', async () => {
    const response = await post(intl, 'v1/predictions', { ...match('Spain', 'Germany'), explain: true });
    const { prediction } = response.body;
    for (const label of ['false', 'true']) {
      const total = prediction.contributions.reduce((sum: number, c: Json) => sum + c.effect[label], 0);
      expect(total).toBeCloseTo(prediction.probabilities[label] - prediction.reference[label], 12);
    }
  });

  test('a batch answers every event in order', async () => {
    const items = [match('Brazil', 'Argentina'), match('France', 'England', '2026-09-01', true)];
    const response = await post(intl, 'v1/predictions/batch', { items });
    expect(response.statusCode).toBe(200);
    const single = (await post(intl, 'v1/predictions', items[1])).body.prediction;
    expect(response.body.predictions).toHaveLength(2);
    expect(response.body.predictions[1].forecast).toEqual(single.forecast);
  });
});

describe('bad requests name the field and the fix', () => {
  test('a missing role, a wrong column type and a misspelt field are each named', async () => {
    const response = await post(intl, 'v1/predictions', {
      event: { time: '2026-08-01', entities: { home: 'Brazil' }, columns: { neutral: 'yes' } },
    });
    expect(response.statusCode).toBe(400);
    const fields = Object.fromEntries(
      (response.body.error.issues as Json[]).map((i) => [i.field, i.message]),
    );
    expect(fields['body.event.entities.away']).toMatch(/missing/);
    expect(fields['body.event.columns.neutral']).toBe('expected boolean, received "yes".');
    const misspelt = await post(intl, 'v1/predictions', {
      event: { time: '2026-08-01', entites: { home: 'Brazil', away: 'Peru' }, columns: { neutral: false } },
    });
    expect(misspelt.body.error.issues).toContainEqual({
      field: 'body.event.entites',
      message: 'unknown field. Did you mean "entities"?',
    });
  });

  test('an event inside the data is refused on event.time: it would read its own result', async () => {
    const response = await post(intl, 'v1/predictions', match('Brazil', 'Argentina', '2024-06-01'));
    expect(response.statusCode).toBe(400);
    expect(response.body.error.issues[0]).toMatchObject({ field: 'body.event.time' });
    expect(response.body.error.issues[0].message).toMatch(/must be after 2026-07-1\d/);
  });

  test('both an event and features, or neither, is refused', async () => {
    const { features } = (await post(intl, 'v1/predictions', match('Brazil', 'Peru'))).body.prediction;
    const both = await post(intl, 'v1/predictions', { ...match('Brazil', 'Peru'), features });
    expect(both.statusCode).toBe(400);
    expect(both.body.error.message).toMatch(/exactly one of "event" or "features" \(got both\)/);
    const neither = await post(intl, 'v1/predictions', { explain: true });
    expect(neither.body.error.message).toMatch(/exactly one of "event" or "features" \(got neither\)/);
  });

  test('the wrong method gets 405 with Allow', async () => {
    const response = (await client(intl).get('v1/predictions')) as Response<Json>;
    expect(response.statusCode).toBe(405);
    expect(response.headers.allow).toBe('POST');
  });
});

describe('the API describes the project', () => {
  test('OpenAPI shows the request generated from the roles and the columns the views read', async () => {
    const spec = ((await client(intl).get('openapi.json')) as Response<Json>).body;
    const body = spec.paths['/v1/predictions'].post.requestBody.content['application/json'].schema;
    const event = body.properties.event;
    expect(Object.keys(event.properties.entities.properties).sort()).toEqual(['away', 'home']);
    expect(Object.keys(event.properties.columns.properties)).toEqual(['neutral']);
    const artifact = await artifactOf(intl, fixture.runs[intl].bestCandidate!);
    expect(Object.keys(body.properties.features.properties)).toEqual(artifact.featureNames);
    const mlbSpec = ((await client(mlb).get('openapi.json')) as Response<Json>).body;
    const mlbEvent =
      mlbSpec.paths['/v1/predictions'].post.requestBody.content['application/json'].schema.properties.event;
    expect(Object.keys(mlbEvent.properties.entities.properties)).toEqual(['self']);
    expect(Object.keys(mlbEvent.properties.columns.properties)).toEqual([
      'wins162',
      'run_diff_per_game',
      'ERA',
      'hr_per_game',
      'pythag162',
    ]);
  });

  test('health and the model description carry the model version', async () => {
    const health = ((await client(mlb).get('health')) as Response<Json>).body;
    expect(health).toMatchObject({ status: 'ok', model: { runId: fixture.runs[mlb].runId } });
    const model = ((await client(mlb).get('v1/model')) as Response<Json>).body;
    expect(model).toMatchObject({ task: 'regression', dataEnd: '2020', pointInTime: false });
    expect(model.event.roles).toEqual({ self: { entity: 'team', key: 'franchID' } });
  });
});

describe('a regression project (MLB team wins)', () => {
  test('a team’s next season gets a mean, a standard deviation and nested predictive intervals', async () => {
    const response = await post(mlb, 'v1/predictions', season2021);
    expect(response.statusCode).toBe(200);
    const { prediction } = response.body;
    expect(prediction.forecast.kind).toBe('gaussian');
    expect(prediction.mean).toBe(prediction.forecast.mean);
    const [i80, i95] = [prediction.intervals['80'], prediction.intervals['95']];
    expect(i95.lower).toBeLessThan(i80.lower);
    expect(i80.lower).toBeLessThan(prediction.mean);
    expect(prediction.mean).toBeLessThan(i80.upper);
    expect(i80.upper).toBeLessThan(i95.upper);
    expect(i80.upper - prediction.mean).toBeCloseTo(1.2815515655 * prediction.sd, 6);
    // The formula view is evaluated by DuckDB, as the offline store evaluates it.
    expect(prediction.features.pythagorean_regressed).toBeCloseTo(81 + 0.6 * (99 - 81), 12);
    expect(prediction.asOf.wins_3_seasons <= '2020').toBe(true);
  });
});

describe('served = offline for the held-out events, through HTTP', () => {
  test('every MLB test-period forecast served point in time equals the run’s recorded forecast', async () => {
    const run = fixture.runs[mlb];
    const report = await replayHeldOut(fixture.workspace, mlb);
    expect(report.events).toBe(run.split.test.rows);
    expect(report.mismatches).toEqual([]);
    expect(report.largestDifference).toBeLessThan(1e-9);
    // The offline side is the run's own record, not only a recomputation.
    const project = await loadProjectFile(fixture.workspace, mlb);
    const loaded = await loadTaskModel(fixture.workspace, mlb, {
      runId: run.runId,
      runKey: run.key,
      modelId: run.bestCandidate!,
    });
    const events = await heldOutEvents(fixture.workspace, project, loaded);
    const recorded = run.predictedVsActual![run.bestCandidate!]!;
    expect(recorded).toHaveLength(events.length);
    events.forEach((event, i) => {
      expect(event.offline.kind === 'gaussian' && event.offline.mean).toBeCloseTo(recorded[i]!.predicted, 9);
    });
  }, 300_000);

  test('international test-period matches served point in time equal the offline forecasts', async () => {
    const run = fixture.runs[intl];
    const project = await loadProjectFile(fixture.workspace, intl);
    const loaded = await loadTaskModel(fixture.workspace, intl, {
      runId: run.runId,
      runKey: run.key,
      modelId: run.bestCandidate!,
    });
    const events = (await heldOutEvents(fixture.workspace, project, loaded)).slice(0, 300);
    const report = await replayThroughServer(pointInTime.url, events, {
      runId: run.runId,
      modelId: run.bestCandidate!,
    });
    expect(report.events).toBe(300);
    expect(report.mismatches).toEqual([]);
    expect(report.largestDifference).toBeLessThan(1e-9);

    // The comparison can fail: a forecast that differs is named with its event.
    const tampered = events.slice(0, 5).map((event, i) =>
      i === 3 && event.offline.kind === 'probabilities'
        ? {
            ...event,
            offline: {
              kind: 'probabilities' as const,
              p: event.offline.p.map((p, k) => p + (k ? -1e-6 : 1e-6)),
            },
          }
        : event,
    );
    const skewed = await replayThroughServer(pointInTime.url, tampered, {
      runId: run.runId,
      modelId: run.bestCandidate!,
    });
    expect(skewed.mismatches.map((m) => m.id)).toEqual([events[3]!.id]);
    expect(skewed.mismatches[0]!.difference).toBeCloseTo(1e-6, 9);
  }, 300_000);

  test('a replay refuses a server that serves only the future, or another model', async () => {
    const run = fixture.runs[intl];
    await expect(
      replayThroughServer(servers[intl].url, [], { runId: run.runId, modelId: run.bestCandidate! }),
    ).rejects.toMatchObject({ code: 'E_REPLAY_NOT_POINT_IN_TIME' });
    await expect(
      replayThroughServer(pointInTime.url, [], { runId: run.runId, modelId: 'prior' }),
    ).rejects.toMatchObject({
      code: 'E_REPLAY_MODEL_MISMATCH',
    });
  });
});

describe('the experiment adapter', () => {
  test('an arm reports its version, the features’ as-of time and the baseline score as a covariate', async () => {
    const run = fixture.runs[intl];
    const predictor = await loadDeclaredPredictor(fixture.workspace, intl);
    try {
      const arm = armPredictorFor(predictor);
      expect(arm.version).toBe(`${run.runId}/${run.bestCandidate}`);
      const answer = await arm.predict(match('Brazil', 'Argentina'));
      const prediction = answer.prediction as Json;
      expect(answer.featuresAsOf).toBe('2026-08-01');
      const baseline = await artifactOf(intl, run.bestBaseline);
      const elo = await post(intl, 'v1/predictions', match('Brazil', 'Argentina'));
      expect(prediction.forecast).toEqual(elo.body.prediction.forecast);
      const values = {
        ...prediction.features,
        elo_diff: prediction.features.elo_home - prediction.features.elo_away,
      };
      const expected = forecastWith(
        baseline,
        baseline.featureNames.map((name) => values[name]),
      );
      expect(answer.covariates?.[`baseline:${run.bestBaseline}`]).toBeCloseTo(
        expected.kind === 'probabilities' ? expected.p[1]! : Number.NaN,
        12,
      );
      await expect(arm.predict({ event: { time: '2026-08-01' } })).rejects.toMatchObject({
        statusCode: 400,
        issues: expect.arrayContaining([
          { field: 'input.event.entities', message: 'missing; expected object.' },
        ]),
      });
    } finally {
      predictor.close();
    }
  });
});

describe('the audit’s inference-path check', () => {
  test.each([intl, mlb] as const)(
    'credits `mlfolio serve %s`: its deployed model loads as the server loads it',
    async (slug) => {
      const audit = await auditProject(fixture.workspace, slug);
      const check = audit.checks.find((c) => c.id === 'inference-path')!;
      expect(check.evidence.join(' ')).toContain(`an HTTP endpoint (\`mlfolio serve ${slug}\`)`);
      expect(check.verdict).toBe('pass');
    },
    120_000,
  );
});

describe('the online store serves the next season as the offline store computes it', () => {
  test('every MLB team’s 2020 features from a store of the seasons up to 2019 equal the training set’s', async () => {
    const project = await loadProjectFile(fixture.workspace, mlb);
    const table = await collectTable('teams', eventsSpecOf(project.file), {
      workspace: fixture.workspace,
      slug: mlb,
      specFile: project.specFile,
    });
    const spec = featureStoreSpecOf(project.file);
    const full = await openFeatureStore(spec, { rows: table.rows });
    const past = await openFeatureStore(spec, {
      rows: table.rows.filter((row) => Number(row.yearID) <= 2019),
    });
    try {
      const set = await full.trainingSet();
      const store = await materializeOnlineStore(past);
      const evaluate = formulaEvaluator(past.connection);
      const rows = [...set.ids.keys()].filter((i) => set.seasons[set.seasonIndex[i]!] === '2020');
      expect(rows.length).toBe(30);
      for (const i of rows) {
        const offline = trainingRow(set, i);
        const served = await serveFeatureRow(
          past.plan,
          store,
          { time: '2020', entities: offline.entities, columns: table.rows[set.inputRow[i]!]! },
          evaluate,
        );
        for (const column of set.columns) {
          expect({ team: offline.entities.self, column, value: served.values[column] }).toEqual({
            team: offline.entities.self,
            column,
            value: expect.closeTo(offline.values[column]!, 9),
          });
        }
      }
    } finally {
      full.close();
      past.close();
    }
  }, 120_000);
});

describe('an experiment mounted on the version 2 server', () => {
  test('shadow mode scores both arms through the adapter and logs each exposure with its version and as-of time', async () => {
    const run = fixture.runs[intl];
    const models = [run.bestCandidate!, 'elo'];
    const { arms, close } = await loadArmPredictors(fixture.workspace, intl, models);
    const logFile = join(fixture.workspace.stateDir, 'exposures.jsonl');
    const log = ExposureLog.open(logFile);
    const experiment = {
      key: 'shadow-elo',
      mode: 'shadow' as const,
      seed: 'mlfolio',
      arms: [
        { model: models[0]!, control: true, traffic: 50 },
        { model: models[1]!, control: false, traffic: 50 },
      ],
      layer: { name: 'default', from: 0, to: 100 },
      holdoutPercent: 0,
    };
    const running = await serveDeclaredProject(
      fixture.workspace,
      intl,
      { port: 0 },
      {
        mount: async (app) => {
          await app.register(experimentPlugin, { experiment, arms, log });
        },
      },
    );
    try {
      const response = (await got.post(`${running.url}/experiments/shadow-elo/predictions`, {
        json: { unit: 'match-1', input: match('Brazil', 'Argentina') },
        responseType: 'json',
        throwHttpErrors: false,
      })) as Response<Json>;
      expect(response.statusCode).toBe(200);
      expect(response.body).toMatchObject({ arm: models[0], inExperiment: true });
      const { exposures } = await readExposureLog(logFile);
      expect(exposures.map((e) => [e.arm, e.role, e.modelVersion])).toEqual([
        [models[0], 'served', `${run.runId}/${models[0]}`],
        [models[1], 'shadow', `${run.runId}/${models[1]}`],
      ]);
      // The candidate reads the event's own venue; the Elo arm only the ratings, as of the data's end.
      expect(exposures[0]!.featuresAsOf).toBe('2026-08-01');
      const elo = exposures[1]!.prediction as Json;
      expect(exposures[1]!.featuresAsOf).toBe(elo.asOf.elo_diff);
      expect(exposures[1]!.featuresAsOf! <= '2026-07-19').toBe(true);
      expect(Object.keys(exposures[0]!.covariates ?? {})).toEqual([`baseline:${run.bestBaseline}`]);
    } finally {
      await running.app.close();
      log.close();
      close();
    }
  }, 120_000);
});

describe('mlfolio replay on the command line', () => {
  test('replays the held-out season through a server it starts and reports the largest difference', async () => {
    const result = await mlfolio(fixture.workspace.root, ['replay', mlb, '--batch', '40']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(
      `${fixture.runs[mlb].split.test.rows} held-out events of run ${fixture.runs[mlb].runId}`,
    );
    expect(result.stdout).toContain('in 3 requests');
    expect(result.stdout).toMatch(/Served = offline for every event: largest difference \d/);
    const usage = await mlfolio(fixture.workspace.root, ['replay', mlb, '--batch', '0']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--batch must be an integer from 1 to 10000; received "0"');
  }, 180_000);
});
