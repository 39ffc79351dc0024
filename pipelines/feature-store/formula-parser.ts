/**
 * The parser of the browser's formula subset (see formula-expression.ts): numbers, bare and
 * double-quoted names, calls, parentheses, unary `+ - !` and the binary operators `* /`, `+ -`
 * and `< <= > >= == !=`, each level left-associative, tighter levels first. It builds the
 * ESTree-shaped nodes the evaluator compiles and leaves every judgement of meaning to it: an
 * operator or a literal outside the subset parses, and is refused there with the reason. Written
 * for the subset rather than taken from a JavaScript parser because the demo page bundles it: about
 * 1.7 KB minified, where vega-expression's parser was 23 KB of a 39 KB script. Pure and browser-safe.
 */

export interface FormulaNode {
  type: 'Literal' | 'Identifier' | 'UnaryExpression' | 'BinaryExpression' | 'CallExpression';
  operator?: string;
  left?: FormulaNode;
  right?: FormulaNode;
  argument?: FormulaNode;
  callee?: FormulaNode;
  arguments?: FormulaNode[];
  name?: string;
  value?: unknown;
  /** A literal's text as written. */
  raw?: string;
}

// A number swallows the letters and dots that follow it, so `0x10` or `1.2.3` is one literal the
// evaluator refuses by name rather than two tokens.
const tokenPattern =
  /\s*(?:((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?[A-Za-z0-9_.]*)|([A-Za-z_][A-Za-z0-9_]*)|("[^"]*")|(<=|>=|==|!=|[-+*/<>(),=!.]))/y;

type Token = { kind: 'number' | 'name' | 'quoted' | 'symbol'; text: string };

const binaryLevels: readonly (readonly string[])[] = [
  ['<', '<=', '>', '>=', '==', '!='],
  ['+', '-'],
  ['*', '/'],
];

/** Parses `expression`; throws a `SyntaxError` saying what was unexpected, and where. */
export function parseFormula(expression: string): FormulaNode {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = () => tokens[position];
  const unexpected = (): never => {
    const token = peek();
    throw new SyntaxError(
      token
        ? `unexpected ${JSON.stringify(token.text)} (token ${position + 1})`
        : 'unexpected end of the formula',
    );
  };
  const take = (symbol: string) => {
    const token = peek();
    if (token?.kind !== 'symbol' || token.text !== symbol) unexpected();
    position++;
  };

  const binary = (level: number): FormulaNode => {
    if (level === binaryLevels.length) return unary();
    let left = binary(level + 1);
    for (;;) {
      const token = peek();
      if (token?.kind !== 'symbol' || !binaryLevels[level]!.includes(token.text)) return left;
      position++;
      left = { type: 'BinaryExpression', operator: token.text, left, right: binary(level + 1) };
    }
  };

  const unary = (): FormulaNode => {
    const token = peek();
    if (token?.kind === 'symbol' && ['-', '+', '!'].includes(token.text)) {
      position++;
      return { type: 'UnaryExpression', operator: token.text, argument: unary() };
    }
    return primary();
  };

  const primary = (): FormulaNode => {
    const token = peek() ?? unexpected();
    position++;
    switch (token.kind) {
      case 'number':
        return { type: 'Literal', value: Number(token.text), raw: token.text };
      case 'quoted':
        return { type: 'Literal', value: token.text.slice(1, -1), raw: token.text };
      case 'name': {
        const callee: FormulaNode = { type: 'Identifier', name: token.text };
        if (peek()?.text !== '(') return callee;
        position++;
        const args: FormulaNode[] = [];
        if (peek()?.text !== ')') {
          args.push(binary(0));
          while (peek()?.text === ',') {
            position++;
            args.push(binary(0));
          }
        }
        take(')');
        return { type: 'CallExpression', callee, arguments: args };
      }
      default: {
        if (token.text !== '(') {
          position--;
          return unexpected();
        }
        const inner = binary(0);
        take(')');
        return inner;
      }
    }
  };

  const tree = binary(0);
  if (position < tokens.length) unexpected();
  return tree;
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  tokenPattern.lastIndex = 0;
  while (tokenPattern.lastIndex < expression.length) {
    const at = tokenPattern.lastIndex;
    const match = tokenPattern.exec(expression);
    if (!match) {
      if (expression.slice(at).trim() === '') break;
      throw new SyntaxError(`unexpected ${JSON.stringify(expression.slice(at).trim()[0])} at ${at}`);
    }
    const [, number, name, quoted, symbol] = match;
    if (number !== undefined) tokens.push({ kind: 'number', text: number });
    else if (name !== undefined) tokens.push({ kind: 'name', text: name });
    else if (quoted !== undefined) tokens.push({ kind: 'quoted', text: quoted });
    else tokens.push({ kind: 'symbol', text: symbol! });
  }
  if (!tokens.length) throw new SyntaxError('the formula is empty');
  return tokens;
}
