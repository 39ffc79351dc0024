import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isMlfolioError } from '../../portfolio/errors.ts';
import { parseWith, received } from '../../portfolio/validate.ts';

// A schema of its own, not the project file's: the messages must hold for any schema.
const shapeSchema = z
  .strictObject({
    name: z.string(),
    shapes: z.array(
      z.discriminatedUnion('type', [
        z.strictObject({ type: z.literal('circle'), radius: z.number() }),
        z.strictObject({ type: z.literal('square'), side: z.number() }),
      ]),
    ),
    notes: z.array(z.string()).default([]),
  })
  .superRefine((value, context) => {
    if (value.shapes.length === 0)
      context.addIssue({ code: 'custom', path: ['shapes'], message: 'draw a shape' });
  });

function problems(data: unknown): string[] {
  try {
    parseWith(shapeSchema, data, 'shapes.yaml');
  } catch (error) {
    if (!isMlfolioError(error)) throw error;
    return error.message.split('\n');
  }
  throw new Error('expected the data to be refused');
}

describe('parseWith', () => {
  it('names the nearest option of a discriminated union for a misspelt discriminator', () => {
    expect(problems({ name: 'a', shapes: [{ type: 'circel', radius: 1 }] })).toEqual([
      'shapes.yaml is not valid:',
      '  - shapes[0].type: received "circel". Did you mean "circle"?',
    ]);
  });

  it('lists the options when no option is near, and says when the discriminator is missing', () => {
    expect(problems({ name: 'a', shapes: [{ type: 'hexagon' }, { radius: 2 }] }).slice(1)).toEqual([
      '  - shapes[0].type: received "hexagon". Valid values: "circle", "square".',
      '  - shapes[1].type: missing; expected one of "circle", "square".',
    ]);
  });

  it('never appends the refined object to a cross-field problem', () => {
    expect(problems({ name: 'a'.repeat(500), shapes: [] }).slice(1)).toEqual(['  - shapes: draw a shape.']);
  });

  it('reports null or missing data as empty, naming the fields without defaults', () => {
    for (const data of [null, undefined]) {
      expect(problems(data)).toEqual(['shapes.yaml is empty; it needs at least the fields name, shapes.']);
    }
  });
});

describe('received', () => {
  it('shows short values as JSON and summarises long ones', () => {
    expect(received('x')).toBe('"x"');
    expect(received([1, 2])).toBe('[1,2]');
    expect(received(Array.from({ length: 100 }, (_, i) => i))).toBe('a list of 100 items');
    expect(received({ a: 'x'.repeat(100), b: 1 })).toBe('an object with the fields a, b');
    expect(received('y'.repeat(300))).toHaveLength(198);
  });
});
