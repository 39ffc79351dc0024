import { parseExpression } from 'vega-expression';
import { describe, expect, it } from 'vitest';
import { compileFormula } from '../../pipelines/feature-store/formula-expression.ts';
import { type FormulaNode, parseFormula } from '../../pipelines/feature-store/formula-parser.ts';

/** A tree as an S-expression, reading only the fields the evaluator reads. */
function shape(node: FormulaNode): string {
  switch (node.type) {
    case 'Literal':
      return `lit:${node.raw}`;
    case 'Identifier':
      return `id:${node.name}`;
    case 'UnaryExpression':
      return `(${node.operator} ${shape(node.argument!)})`;
    case 'BinaryExpression':
      return `(${node.operator} ${shape(node.left!)} ${shape(node.right!)})`;
    case 'CallExpression':
      return `(call ${shape(node.callee!)} ${node.arguments!.map(shape).join(' ')})`;
  }
}

describe('the browser formula parser', () => {
  // The browser used vega-expression's JavaScript parser before; on the subset the trees must agree.
  it.each([
    '81 + 0.6 * (a - 81)',
    '-a + +b * 2.5e-1 - .5',
    '1 - 2 - 3',
    '8 / 2 / 2 * 3',
    '"R" - "RA"',
    'a / NULLIF("b", 0)',
    'power(R, 2) / (POWER(R, 2) + pow(RA, 2))',
    'least(a, b, 3)',
    'a <= b + 1',
    'a != -b',
    '!a',
    '- - a',
    'f()',
    '  a*b  ',
  ])('reads %s as vega-expression does', (expression) => {
    expect(shape(parseFormula(expression))).toBe(
      shape(parseExpression(expression) as unknown as FormulaNode),
    );
  });

  it('binds * and / tighter than + and -, and both tighter than comparisons, left to right', () => {
    const value = (expression: string) => {
      const compiled = compileFormula(expression, ['a']);
      if (!compiled.supported) throw new Error(compiled.reason);
      return compiled.evaluate({ a: 2 });
    };
    expect(value('1 - 2 - 3')).toBe(-4);
    expect(value('2 + 3 * 4')).toBe(14);
    expect(value('(2 + 3) * 4')).toBe(20);
    expect(value('8 / a / 2')).toBe(2);
    expect(value('-a * 3')).toBe(-6);
    expect(value('a + 3 > 2 * a')).toBe(1);
    expect(value('a + 1 > 2 * a')).toBe(0);
  });

  it.each([
    ['', 'empty'],
    ['(a', 'end of the formula'],
    ['a b', 'unexpected "b" (token 2)'],
    ['abs(a,', 'end of the formula'],
    ['"a" "b"', 'unexpected "\\"b\\""'],
    ['a = b', 'unexpected "="'],
    ['a ? b : c', 'unexpected "?"'],
  ])('refuses %j: %s', (expression, message) => {
    expect(() => parseFormula(expression)).toThrow(SyntaxError);
    expect(() => parseFormula(expression)).toThrow(message);
  });
});
