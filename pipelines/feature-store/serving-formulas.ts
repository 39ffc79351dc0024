/**
 * The formula evaluator of the Node server and of the training–serving skew check. A formula in
 * the subset both JavaScript and DuckDB read alike (`formula-expression.ts`, the one the browser
 * demo runs) is compiled once and evaluated in process; any other formula is evaluated by `sql`
 * (DuckDB, as the offline store evaluates it), which is asked for only when such a formula is
 * first evaluated. Pure and browser-safe: the DuckDB side is passed in.
 */
import type { FeatureStorePlan } from './feature-store-plan.ts';
import { compileFormula } from './formula-expression.ts';
import type { FormulaEvaluator } from './online-serving.ts';

/**
 * An evaluator for `serveFeatureRow` over `plan`'s formulas: synchronous (no await, no DuckDB
 * round trip) for those in the subset, `sql()`'s evaluator for the rest. An expression that is not
 * one of the plan's formulas goes to `sql()` too.
 */
export function servingFormulaEvaluator(
  plan: Pick<FeatureStorePlan, 'formulas'>,
  sql: () => FormulaEvaluator | Promise<FormulaEvaluator>,
): FormulaEvaluator & { inProcess: ReadonlySet<string> } {
  const compiled = new Map<string, (inputs: Readonly<Record<string, number | null>>) => number | null>();
  for (const formula of Object.values(plan.formulas)) {
    const result = compileFormula(formula.expression, formula.inputs);
    if (result.supported) compiled.set(formula.expression, result.evaluate);
  }
  let fallback: Promise<FormulaEvaluator> | undefined;
  const evaluate = (expression: string, inputs: Record<string, number | null>) => {
    const inProcess = compiled.get(expression);
    if (inProcess) return inProcess(inputs);
    // A failed start (DuckDB could not open) is not remembered: the next formula tries again.
    fallback ??= Promise.resolve()
      .then(sql)
      .catch((error: unknown) => {
        fallback = undefined;
        throw error;
      });
    return fallback.then((outside) => outside(expression, inputs));
  };
  return Object.assign(evaluate, { inProcess: new Set(compiled.keys()) as ReadonlySet<string> });
}
