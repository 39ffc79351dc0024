import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type FeatureStorePlan,
  type FormulaEvaluator,
  formulaEvaluator,
  planFeatureStore,
  servingFormulaEvaluator,
} from '../../pipelines/feature-store/index.ts';
import { clubFootball } from './declarations.ts';

const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
afterAll(() => {
  connection.closeSync();
  instance.closeSync();
});

const formulas: FeatureStorePlan['formulas'] = {
  diff: { expression: '"a" - "b"', inputs: ['a', 'b'], form: 'difference' },
  ratio: { expression: '"a" / NULLIF("b", 0)', inputs: ['a', 'b'], form: 'ratio' },
  // CASE is outside the subset JavaScript and DuckDB read alike: DuckDB must evaluate it.
  sign: {
    expression: 'CASE WHEN a > b THEN 1 WHEN a = b THEN 0 ELSE -1 END',
    inputs: ['a', 'b'],
    form: 'expression',
  },
};

describe('the serving formula evaluator', () => {
  it('answers a subset formula at once, without opening DuckDB, with the value DuckDB gives', async () => {
    let opened = 0;
    const evaluate = servingFormulaEvaluator({ formulas }, () => {
      opened++;
      return formulaEvaluator(connection);
    });
    const sql = formulaEvaluator(connection);
    for (const [a, b] of [
      [3.5, 1.25],
      [2, 0],
      [null, 4],
      [-7, 2],
    ] as const) {
      for (const name of ['diff', 'ratio']) {
        const { expression } = formulas[name]!;
        const value = evaluate(expression, { a, b });
        expect(value instanceof Promise).toBe(false);
        expect(value).toBe(await sql(expression, { a, b }));
      }
    }
    expect(opened).toBe(0);
    expect([...evaluate.inProcess].sort()).toEqual([formulas.diff!.expression, formulas.ratio!.expression]);
  });

  it('sends a formula outside the subset to DuckDB, opened once on first use', async () => {
    let opened = 0;
    const evaluate = servingFormulaEvaluator({ formulas }, async () => {
      opened++;
      return formulaEvaluator(connection);
    });
    const answers = await Promise.all(
      [
        [5, 1],
        [1, 1],
        [0, 2],
      ].map(([a, b]) => evaluate(formulas.sign!.expression, { a: a!, b: b! })),
    );
    expect(answers).toEqual([1, 0, -1]);
    expect(opened).toBe(1);
  });

  it('tries DuckDB again after it failed to open, rather than failing every later formula', async () => {
    let attempts = 0;
    const evaluate = servingFormulaEvaluator({ formulas }, (): FormulaEvaluator => {
      attempts++;
      if (attempts === 1) throw new Error('cannot open DuckDB');
      return formulaEvaluator(connection);
    });
    await expect(evaluate(formulas.sign!.expression, { a: 1, b: 2 })).rejects.toThrow('cannot open DuckDB');
    await expect(evaluate(formulas.sign!.expression, { a: 2, b: 1 })).resolves.toBe(1);
    expect(attempts).toBe(2);
  });

  it('evaluates every formula of the club-football plan in process', () => {
    const plan = planFeatureStore(clubFootball, 'club football');
    const evaluate = servingFormulaEvaluator(plan, () => {
      throw new Error('DuckDB should not be needed');
    });
    expect(evaluate.inProcess.size).toBe(Object.keys(plan.formulas).length);
    expect(evaluate.inProcess.size).toBeGreaterThan(0);
  });
});
