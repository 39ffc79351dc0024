import { describe, expect, test } from 'vitest';
import { hashValue, sha256, stableStringify } from '../../portfolio/hash.ts';
import { stableStringifyDefinition as definition } from '../helpers/stable-stringify-definition.ts';

class Fixture {
  zeta = 1;
  alpha = [new Date(Date.UTC(2024, 0, 2)), { b: 1, a: 2 }];
}

const cases: Record<string, unknown> = {
  'collected rows sharing their keys': Array.from({ length: 50 }, (_, i) => ({
    date: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`,
    home_team: i % 3 ? 'Brazil' : 'Åland',
    away_team: 'Côte d’Ivoire "A"\n',
    home_score: i % 4,
    away_score: i % 2 ? null : 0.5,
    neutral: i % 2 === 0,
  })),
  'keys where locale order differs from code-unit order': {
    b: 1,
    B: 2,
    a: 3,
    é: 4,
    e: 5,
    Z: 6,
    _x: 7,
    '': 8,
  },
  'integer-like keys, which every object lists first': { b: 1, '10': 2, '2': 3, a: 4, '-1': 5, '01': 6 },
  'nested objects, arrays with holes and dropped values': {
    z: { y: [1, undefined, () => 1, Symbol('s'), { d: 1, c: [] }], x: undefined },
    // biome-ignore lint/suspicious/noSparseArray: a hole serialises as null, as in the definition
    a: [, 2],
    f: () => 1,
    n: [Number.NaN, Number.POSITIVE_INFINITY, -0, 1e21, 5e-7],
  },
  'Dates, boxed primitives, Maps and class instances': {
    when: new Date(Date.UTC(2020, 5, 1)),
    boxed: [Object(3), Object('ab'), Object(true)],
    map: new Map([['a', 1]]),
    instance: new Fixture(),
  },
  'objects with toJSON': {
    custom: { toJSON: (key: string) => ({ key, b: 1, a: 2 }) },
    key: { b: { toJSON: () => 'replaced' }, a: 1 },
    // toJSON runs once: a toJSON inside its result is dropped as a function, never called.
    twice: { toJSON: () => ({ toJSON: () => 'never', b: 1 }) },
  },
  'a "__proto__" key and a NUL inside keys': JSON.parse(
    '{"__proto__": {"b": 1, "a": 2}, "k": [{"a\\u0000b": 1, "c": 2}, {"a": 1, "b\\u0000c": 2}]}',
  ),
  'a key named toJSON holding a function': { b: 1, toJSON: undefined, a: { toJSON: 5, z: 1 } },
  primitives: ['text', 1.5, null, true, undefined],
};

describe('stableStringify', () => {
  for (const [name, value] of Object.entries(cases)) {
    test(`gives the definition's bytes for ${name}`, () => {
      expect(stableStringify(value)).toBe(definition(value));
    });
  }

  test('gives the same bytes for the same keys in any order, and the hash follows', () => {
    expect(stableStringify({ b: [{ d: 1, c: 2 }], a: 1 })).toBe('{"a":1,"b":[{"c":2,"d":1}]}');
    expect(hashValue({ a: 1, b: 2 })).toBe(hashValue({ b: 2, a: 1 }));
    expect(hashValue({ a: 1 })).toBe(sha256('{"a":1}'));
  });
});
