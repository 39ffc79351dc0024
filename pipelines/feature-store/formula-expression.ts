/**
 * Formula views in the browser. The offline store evaluates a formula as DuckDB SQL; a browser has
 * no DuckDB, so a formula is parsed (`formula-parser.ts`) and evaluated over an allowlisted subset
 * of the grammar on which JavaScript and DuckDB SQL agree: numbers, the formula's input columns
 * (bare or double-quoted), `+ - * /`, unary minus, comparisons `< <= > >= == !=` (1 or 0),
 * parentheses and the functions in {@link formulaFunctions}. NULL propagates as in SQL. Anything else (`^`, `%`,
 * `CASE`, `AND`, strings, comments, other functions) is refused with the reason, never guessed: the
 * demo then asks for the feature's value. No code is generated, so no `eval` is needed under the
 * site's Content-Security-Policy. Pure and browser-safe.
 */
import type { FeatureStorePlan } from './feature-store-plan.ts';
import { type FormulaNode as Node, parseFormula } from './formula-parser.ts';

type Value = number | null;

/** The functions a browser formula may call, with DuckDB's semantics (names are case-insensitive). */
export const formulaFunctions = {
  abs: { arity: [1, 1] },
  sqrt: { arity: [1, 1] },
  exp: { arity: [1, 1] },
  ln: { arity: [1, 1] },
  power: { arity: [2, 2] },
  pow: { arity: [2, 2] },
  least: { arity: [1, Number.POSITIVE_INFINITY] },
  greatest: { arity: [1, Number.POSITIVE_INFINITY] },
  nullif: { arity: [2, 2] },
  coalesce: { arity: [1, Number.POSITIVE_INFINITY] },
} as const satisfies Record<string, { arity: readonly [number, number] }>;

type FunctionName = keyof typeof formulaFunctions;

export type CompiledFormula =
  | { supported: true; evaluate: (inputs: Readonly<Record<string, Value>>) => Value }
  | { supported: false; reason: string };

// JavaScript and SQL read these differently, or the parser would hide them: `//` and `/*` start
// comments in JavaScript, `--` in SQL; `^` is power in DuckDB and xor in JavaScript.
const allowedCharacters = /^[\sA-Za-z0-9_.+\-*/<>=!(),"]*$/;
const ambiguous = ['//', '/*', '--'];
const numberLiteral = /^(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;
const arithmetic = new Set(['+', '-', '*', '/']);
const comparisons = new Set(['<', '<=', '>', '>=', '==', '!=']);

type Evaluate = (inputs: Readonly<Record<string, Value>>) => Value;

class Unsupported extends Error {}

/**
 * Compiles a formula's SQL `expression` over the output columns `inputs` into an evaluator, or
 * says why it is outside the browser subset. Identifiers resolve to `inputs` (exactly, else
 * ignoring case, as SQL does).
 */
export function compileFormula(expression: string, inputs: readonly string[]): CompiledFormula {
  const refuse = (reason: string): CompiledFormula => ({ supported: false, reason });
  if (!allowedCharacters.test(expression)) {
    const found = [...expression].find((character) => !allowedCharacters.test(character));
    return refuse(
      `it uses ${JSON.stringify(found)}, which the browser subset does not read the way DuckDB does`,
    );
  }
  const marker = ambiguous.find((token) => expression.includes(token));
  if (marker) return refuse(`it contains ${JSON.stringify(marker)}, a comment in one of SQL and JavaScript`);
  let tree: Node;
  try {
    tree = parseFormula(expression);
  } catch (error) {
    return refuse(`it is not in the subset's grammar (${(error as Error).message})`);
  }
  try {
    return { supported: true, evaluate: compileNode(tree, inputs) };
  } catch (error) {
    if (error instanceof Unsupported) return refuse(error.message);
    throw error;
  }
}

function compileNode(node: Node, inputs: readonly string[]): Evaluate {
  switch (node.type) {
    case 'Literal': {
      const raw = node.raw ?? '';
      if (raw.startsWith('"')) return column(String(node.value), inputs);
      if (typeof node.value === 'number' && numberLiteral.test(raw)) {
        const value = node.value;
        return () => value;
      }
      throw new Unsupported(`the literal ${raw} is not a number or a "quoted" column`);
    }
    case 'Identifier':
      if (node.name?.toLowerCase() === 'null') return () => null;
      return column(node.name ?? '', inputs);
    case 'UnaryExpression': {
      const argument = compileNode(node.argument!, inputs);
      if (node.operator === '-') return (values) => negate(argument(values));
      if (node.operator === '+') return argument;
      throw new Unsupported(`the operator ${node.operator} is not in the subset`);
    }
    case 'BinaryExpression': {
      const operator = node.operator ?? '';
      const isComparison = comparisons.has(operator);
      if (!arithmetic.has(operator) && !isComparison) {
        throw new Unsupported(
          `the operator ${operator} is not in the subset (${operator === '^' ? 'use power(a, b)' : 'only + - * / and comparisons'})`,
        );
      }
      if (isComparison && [node.left, node.right].some((side) => comparisons.has(side?.operator ?? ''))) {
        throw new Unsupported('it chains comparisons, which SQL and JavaScript read differently');
      }
      const left = compileNode(node.left!, inputs);
      const right = compileNode(node.right!, inputs);
      return (values) => binary(operator, left(values), right(values));
    }
    case 'CallExpression': {
      const name = node.callee?.type === 'Identifier' ? (node.callee.name ?? '').toLowerCase() : '';
      if (!Object.hasOwn(formulaFunctions, name)) {
        throw new Unsupported(
          `the function ${node.callee?.name ?? '(expression)'} is not in the subset (${Object.keys(formulaFunctions).join(', ')})`,
        );
      }
      const [min, max] = formulaFunctions[name as FunctionName].arity;
      const args = (node.arguments ?? []).map((argument) => compileNode(argument, inputs));
      if (args.length < min || args.length > max) {
        throw new Unsupported(
          `${name} takes ${min === max ? min : `at least ${min}`} argument(s), not ${args.length}`,
        );
      }
      return (values) =>
        call(
          name as FunctionName,
          args.map((argument) => argument(values)),
        );
    }
    default:
      throw new Unsupported(`a ${node.type} is not in the subset`);
  }
}

function column(name: string, inputs: readonly string[]): Evaluate {
  const match = inputs.includes(name)
    ? name
    : inputs.find((input) => input.toLowerCase() === name.toLowerCase());
  if (match === undefined)
    throw new Unsupported(`"${name}" is not one of its input features (${inputs.join(', ') || 'none'})`);
  return (values) => values[match] ?? null;
}

function negate(value: Value): Value {
  return value === null ? null : -value;
}

function binary(operator: string, a: Value, b: Value): Value {
  if (a === null || b === null) return null;
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '<':
      return Number(a < b);
    case '<=':
      return Number(a <= b);
    case '>':
      return Number(a > b);
    case '>=':
      return Number(a >= b);
    case '==':
      return Number(a === b);
    default:
      return Number(a !== b);
  }
}

function call(name: FunctionName, args: Value[]): Value {
  if (name === 'coalesce') return args.find((arg) => arg !== null) ?? null;
  // NULLIF(a, NULL) is a: a NULL is equal to nothing.
  if (name === 'nullif') return args[0] === null || args[0] === args[1] ? null : args[0]!;
  if (name === 'least' || name === 'greatest') {
    // DuckDB's least and greatest skip NULLs; NULL only when every argument is.
    const present = args.filter((arg): arg is number => arg !== null);
    if (!present.length) return null;
    return name === 'least' ? Math.min(...present) : Math.max(...present);
  }
  if (args.some((arg) => arg === null)) return null;
  const [a, b] = args as number[];
  switch (name) {
    case 'abs':
      return Math.abs(a!);
    case 'exp':
      return Math.exp(a!);
    case 'sqrt':
      // DuckDB refuses these rather than returning NaN; so does the browser.
      if (a! < 0) throw new RangeError(`sqrt(${a}): cannot take the square root of a negative number`);
      return Math.sqrt(a!);
    case 'ln':
      if (a! <= 0)
        throw new RangeError(
          `ln(${a}): cannot take the logarithm of ${a === 0 ? 'zero' : 'a negative number'}`,
        );
      return Math.log(a!);
    default:
      return a! ** b!;
  }
}

/**
 * The browser's formula evaluator for `serveFeatureRow`: each formula of `plan` compiled once;
 * a formula outside the subset returns the value in `entered` under its name (what the reader
 * typed), or null when none was entered.
 */
export function browserFormulaEvaluator(
  plan: Pick<FeatureStorePlan, 'formulas'>,
  entered: Readonly<Record<string, Value>> = {},
): (expression: string, inputs: Record<string, Value>) => Promise<Value> {
  const compiled = new Map<string, { name: string; formula: CompiledFormula }>();
  for (const [name, formula] of Object.entries(plan.formulas))
    compiled.set(formula.expression, { name, formula: compileFormula(formula.expression, formula.inputs) });
  return async (expression, inputs) => {
    const entry = compiled.get(expression);
    if (!entry)
      throw new RangeError(`Expected a formula of the plan, but got ${JSON.stringify(expression)}.`);
    return entry.formula.supported ? entry.formula.evaluate(inputs) : (entered[entry.name] ?? null);
  };
}
