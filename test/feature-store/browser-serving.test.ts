import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectEvents } from '../../pipelines/engine/collect-events.ts';
import { featureStoreSpecOf } from '../../pipelines/engine/feature-store-spec.ts';
import { quote } from '../../pipelines/feature-store/event-table.ts';
import { browserFormulaEvaluator, compileFormula } from '../../pipelines/feature-store/formula-expression.ts';
import {
  formulaEvaluator,
  materializeOnlineStore,
  openFeatureStore,
  serveFeatureRow,
  timeLabel,
  trainingRow,
} from '../../pipelines/feature-store/index.ts';
import type { TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import { loadProjectFile } from '../../portfolio/project-file/load.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import {
  type DeclaredDemoData,
  forecastSummary,
  packOnlineStore,
  predictEvent,
  unpackOnlineStore,
} from '../../src/demo/declared-demo.ts';
import { planFor } from '../../src/site-data/declared-demo-data.ts';
import { repoRoot } from '../site/workspaces.ts';

const temporary: string[] = [];
afterAll(async () => {
  for (const dir of temporary) await rm(dir, { recursive: true, force: true });
});

const duckdb = await (await DuckDBInstance.create(':memory:')).connect();
const inDuckDb = formulaEvaluator(duckdb);

/** A seeded xorshift stream in [0, 1). */
function seeded(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

const agree = (a: number | null, b: number | null) =>
  a === null || b === null
    ? a === b
    : Number.isNaN(a) || Number.isNaN(b)
      ? Number.isNaN(a) && Number.isNaN(b)
      : a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));

describe('formulas in the browser', () => {
  const inputs = ['a', 'b', 'R', 'RA'];
  const subset = [
    '"a" - "b"',
    '"a" / NULLIF("b", 0)',
    '81 + 0.6 * (a - 81)',
    '-a + +b * 2.5e-1 - .5',
    'a / b',
    'G_ratio_unused + 1',
    'a > b',
    'a <= b',
    'a == b',
    'a != b',
    'abs(a - b)',
    'sqrt(abs(a))',
    'exp(a / 100)',
    'ln(abs(a) + 1)',
    'power(R, 2) / (POWER(R, 2) + pow(RA, 2))',
    'least(a, b, 3)',
    'greatest(a, NULL, b)',
    'coalesce(NULL, a, b)',
    'nullif(a, b)',
    'A * r',
  ];

  it('gives the value DuckDB gives for every subset expression, NULLs and zeros included', async () => {
    const random = seeded(11);
    const pick = () => {
      const u = random();
      // NULLs, zeros and ties are the cases where SQL and JavaScript could part ways.
      if (u < 0.1) return null;
      if (u < 0.2) return 0;
      if (u < 0.3) return 2;
      return Math.round((random() * 200 - 100) * 1000) / 1000;
    };
    let compared = 0;
    for (const expression of subset) {
      const compiled = compileFormula(expression, inputs);
      if (expression.startsWith('G_ratio')) {
        expect(compiled).toMatchObject({
          supported: false,
          reason: expect.stringContaining('"G_ratio_unused"'),
        });
        continue;
      }
      expect(compiled, expression).toMatchObject({ supported: true });
      if (!compiled.supported) continue;
      for (let i = 0; i < 40; i++) {
        const values = Object.fromEntries(inputs.map((name) => [name, pick()]));
        if (i === 0) Object.assign(values, { a: 2, b: 2 });
        if (i === 1) Object.assign(values, { a: 5, b: 0 });
        let browser: number | null | Error;
        let sql: number | null | Error;
        try {
          browser = compiled.evaluate(values);
        } catch (error) {
          browser = error as Error;
        }
        try {
          sql = await inDuckDb(expression, values);
        } catch (error) {
          sql = error as Error;
        }
        if (sql instanceof Error || browser instanceof Error) {
          // DuckDB refuses sqrt and ln out of their domain; so must the browser.
          expect(
            browser instanceof Error && sql instanceof Error,
            `${expression} on ${JSON.stringify(values)}`,
          ).toBe(true);
        } else {
          expect(
            agree(browser, sql),
            `${expression} on ${JSON.stringify(values)}: ${browser} vs ${sql}`,
          ).toBe(true);
        }
        compared++;
      }
    }
    expect(compared).toBe((subset.length - 1) * 40);
  });

  it.each([
    ['G * R^2 / (R^2 + RA^2)', '^'],
    ['a % b', '"%"'],
    ['CASE WHEN a > b THEN 1 ELSE 0 END', 'grammar'],
    ['a > 1 AND b > 1', 'grammar'],
    ["a || 'x'", '"|"'],
    ['a // b', '"//"'],
    ['a -- comment', '"--"'],
    ['a /* c */ + b', '"/*"'],
    ['a.b', 'grammar'],
    ['round(a)', 'function round'],
    ['a < b < 1', 'chains comparisons'],
    ['a = b', 'grammar'],
    ['0x10 + a', 'literal 0x10'],
    ['least()', 'at least 1'],
  ])('refuses %s, saying why (%s)', (expression, why) => {
    const compiled = compileFormula(expression, ['a', 'b', 'G', 'R', 'RA']);
    expect(compiled.supported).toBe(false);
    if (!compiled.supported) expect(compiled.reason).toContain(why);
  });

  it('uses the value the reader entered for a formula outside the subset, and null without one', async () => {
    const plan = {
      formulas: {
        pyth: { expression: 'G * R^2 / (R^2 + RA^2)', inputs: ['G', 'R', 'RA'], form: 'expression' as const },
        diff: { expression: '"R" - "RA"', inputs: ['R', 'RA'], form: 'difference' as const },
      },
    };
    const values = { G: 162, R: 800, RA: 700 };
    expect(await browserFormulaEvaluator(plan, { pyth: 91.5 })('G * R^2 / (R^2 + RA^2)', values)).toBe(91.5);
    expect(await browserFormulaEvaluator(plan)('G * R^2 / (R^2 + RA^2)', values)).toBeNull();
    expect(await browserFormulaEvaluator(plan)('"R" - "RA"', values)).toBe(100);
  });
});

describe('the demo’s forecast summary', () => {
  it('gives a Gaussian forecast’s 80% and 95% intervals from its normal quantiles', () => {
    const summary = forecastSummary({ kind: 'gaussian', mean: 81, sd: 10 })!;
    expect(summary.mean).toBe(81);
    // scipy.stats.norm.ppf(0.9) = 1.2815515655446004, norm.ppf(0.975) = 1.959963984540054
    expect(summary.interval80[0]).toBeCloseTo(81 - 10 * 1.2815515655446004, 12);
    expect(summary.interval80[1]).toBeCloseTo(81 + 10 * 1.2815515655446004, 12);
    expect(summary.interval95[1]).toBeCloseTo(81 + 10 * 1.959963984540054, 12);
  });

  it('gives a Poisson forecast’s intervals as the quantiles scipy gives', () => {
    // scipy.stats.poisson.ppf([0.1, 0.9, 0.025, 0.975], mu) for mu = 4 and mu = 0.3
    expect(forecastSummary({ kind: 'poisson', mean: 4 })).toEqual({
      mean: 4,
      interval80: [2, 7],
      interval95: [1, 8],
    });
    expect(forecastSummary({ kind: 'poisson', mean: 0.3 })).toEqual({
      mean: 0.3,
      interval80: [0, 1],
      interval95: [0, 2],
    });
  });

  it('has no interval for class probabilities', () => {
    expect(forecastSummary({ kind: 'probabilities', p: [0.4, 0.6] })).toBeNull();
  });
});

/** The example projects, collected from their bundled offline copies into a scratch workspace. */
async function exampleProject(slug: string) {
  const root = await mkdtemp(join(tmpdir(), 'mlfolio-demo-'));
  temporary.push(root);
  await mkdir(join(root, 'content', 'projects'), { recursive: true });
  await cp(join(repoRoot, 'content', 'data'), join(root, 'content', 'data'), { recursive: true });
  await cp(join(repoRoot, 'content', 'projects', slug), join(root, 'content', 'projects', slug), {
    recursive: true,
  });
  const workspace = workspaceAt(root);
  const project = await loadProjectFile(workspace, slug);
  // The events as a run reads them: collected, with the project's label joins applied.
  const { rows } = await collectEvents(workspace, project);
  return { project, rows };
}

const meanArtifact: TaskArtifact = { kind: 'mean', featureNames: [], mean: 0, sd: 1 };

describe.each(['mlb-team-wins', 'international-match-outcomes'])('the demo of %s', (slug) => {
  let example: Awaited<ReturnType<typeof exampleProject>>;
  let session: Awaited<ReturnType<typeof openFeatureStore>>;
  let training: Awaited<ReturnType<typeof session.trainingSet>>;
  beforeAll(async () => {
    example = await exampleProject(slug);
    session = await openFeatureStore(featureStoreSpecOf(example.project.file), { rows: example.rows }, slug);
    training = await session.trainingSet();
  }, 300_000);
  afterAll(() => session?.close());

  it('evaluates every formula as DuckDB does, on the training set’s own inputs', async () => {
    const formulas = Object.entries(session.plan.formulas);
    expect(formulas.length).toBeGreaterThan(0);
    const random = seeded(5);
    for (const [name, formula] of formulas) {
      const compiled = compileFormula(formula.expression, formula.inputs);
      expect(compiled, `${name}: ${formula.expression}`).toMatchObject({ supported: true });
      if (!compiled.supported) continue;
      let checked = 0;
      for (let k = 0; k < 150; k++) {
        const i = Math.floor(random() * training.size);
        const row = trainingRow(training, i);
        const inputs = Object.fromEntries(formula.inputs.map((input) => [input, row.values[input] ?? null]));
        const browser = compiled.evaluate(inputs);
        expect(agree(browser, await inDuckDb(formula.expression, inputs)), `${name} on row ${row.id}`).toBe(
          true,
        );
        expect(agree(browser, row.values[name] ?? null), `${name} on row ${row.id} (training set)`).toBe(
          true,
        );
        checked++;
      }
      expect(checked).toBe(150);
    }
  });

  it('serves held-out events the same row as the online store with DuckDB formulas and the training set', async () => {
    const plan = session.plan;
    const lastSeason = Math.max(...training.seasonIndex);
    const heldOut = [...Array(training.size).keys()].filter((i) =>
      training.timeKind === 'season' ? training.times[i] === lastSeason : i >= training.size - 400,
    );
    const random = seeded(3);
    const sample = [
      ...new Set(Array.from({ length: 12 }, () => heldOut[Math.floor(random() * heldOut.length)]!)),
    ];
    const columnViews = [
      ...new Set(plan.spec.views.flatMap((view) => (view.kind === 'column' ? [view.column] : []))),
    ];
    const result = columnViews.length
      ? await session.connection.runAndReadAll(
          `SELECT __row, ${columnViews.map(quote).join(', ')} FROM events WHERE __row IN (${sample.map((i) => training.inputRow[i]).join(', ')})`,
        )
      : undefined;
    const columnsOf = new Map(
      (result?.getRowObjectsJS() ?? []).map((record) => [Number(record.__row), record]),
    );
    const roles = Object.entries(plan.spec.table.roles);
    const demoPlan = planFor(plan, training.columns);
    let compared = 0;
    for (const i of sample) {
      const entities = Object.fromEntries(roles.map(([role]) => [role, training.entities[role]![i]!]));
      const keys: Record<string, string[]> = {};
      for (const [role, declared] of roles)
        keys[declared.entity] = [...(keys[declared.entity] ?? []), entities[role]!];
      const store = await materializeOnlineStore(session, {
        at: training.times[i]!,
        season: training.seasonIndex[i]!,
        keys,
      });
      const time = timeLabel(training, training.times[i]!)!;
      const record = columnsOf.get(training.inputRow[i]!) ?? {};
      const columns = Object.fromEntries(
        columnViews.map((column) => [column, record[column] as string | number | boolean]),
      );
      const packed = packOnlineStore(store, Object.keys(store.views));
      expect(unpackOnlineStore(packed)).toEqual(store);
      const data = {
        plan: demoPlan,
        store: packed,
        time: { kind: training.timeKind, earliest: time },
      } as unknown as DeclaredDemoData;
      const demo = await predictEvent(data, meanArtifact, { time, entities, columns, entered: {} });
      const served = await serveFeatureRow(plan, store, { time, entities, columns }, inDuckDb);
      const offline = trainingRow(training, i);
      for (const column of training.columns) {
        expect(
          agree(demo.row.values[column] ?? null, served.values[column] ?? null),
          `${column} of ${offline.id}`,
        ).toBe(true);
        expect(
          agree(demo.row.values[column] ?? null, offline.values[column] ?? null),
          `${column} of ${offline.id} (offline)`,
        ).toBe(true);
        expect(demo.row.asOf[column]).toEqual(served.asOf[column]);
        compared++;
      }
      expect(demo.row.stale).toEqual(served.stale);
    }
    expect(compared).toBe(sample.length * training.columns.length);
  });

  it('materialises a store that serves an event at its own time the training set’s row, by default', async () => {
    // Materialised as of the last time with no other option, as the engine does after all data.
    const last = Math.max(...training.times);
    const events = [...Array(training.size).keys()].filter((i) => training.times[i] === last).slice(0, 8);
    const store = await materializeOnlineStore(session, { at: last });
    const time = timeLabel(training, last)!;
    let compared = 0;
    for (const i of events) {
      const offline = trainingRow(training, i);
      const served = await serveFeatureRow(
        session.plan,
        store,
        { time, entities: offline.entities, columns: {} },
        browserFormulaEvaluator(session.plan),
      );
      for (const output of session.plan.outputs) {
        const view = session.plan.spec.views.find((v) => v.name === output.view)!;
        // Column views and formulas over them read the event's own row, which this request leaves out.
        if (view.kind === 'column' || view.kind === 'formula') continue;
        expect(
          agree(served.values[output.column] ?? null, offline.values[output.column] ?? null),
          `${output.column} of ${offline.id}`,
        ).toBe(true);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(0);
  });
});
