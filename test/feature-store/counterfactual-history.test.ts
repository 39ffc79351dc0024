import { describe, expect, it } from 'vitest';
import { CounterfactualHistory } from '../../pipelines/feature-store/counterfactual-history.ts';
import {
  buildTrainingSet,
  createFeatureStoreDatabase,
  type FeatureStoreSpecInput,
  planFeatureStore,
  type TrainingSet,
} from '../../pipelines/feature-store/index.ts';

/**
 * Rows whose columns change type within the history: `x` whole numbers (a counterfactual makes
 * some fractional), `score` whole until a late 2.5, `mixed` whole numbers, `extra`
 * absent from the first rows, `flag` booleans, `note` text that reads as booleans, `known` a
 * column view's input (left alone).
 */
const rows: Record<string, unknown>[] = [
  { id: 'r0', s: 'A', day: '2024-01-01', x: 1, score: 3, mixed: 7, flag: true, note: 'TRUE', known: 1 },
  { id: 'r1', s: 'B', day: '2024-01-01', x: 2, score: 4, mixed: 8, flag: false, note: 'FALSE', known: 2 },
  { id: 'r2', s: 'A', day: '2024-01-02', x: null, score: 5, mixed: 9, flag: true, note: 'x', known: 3 },
  {
    id: 'r3',
    s: 'B',
    day: '2024-01-03',
    x: 4,
    score: 6,
    mixed: 1,
    flag: null,
    note: 'TRUE',
    known: 4,
    extra: 1,
  },
  {
    id: 'r4',
    s: 'A',
    day: '2024-01-04',
    x: 5,
    score: 2.5,
    mixed: 2,
    flag: false,
    note: 'FALSE',
    known: 5,
    extra: 2,
  },
  {
    id: 'r5',
    s: 'B',
    day: '2024-01-05',
    x: 6,
    score: 1,
    mixed: 4,
    flag: true,
    note: 'TRUE',
    known: 6,
    extra: 3,
  },
  {
    id: 'r6',
    s: 'A',
    day: '2024-01-06',
    x: 7,
    score: 2,
    mixed: 3,
    flag: true,
    note: 'y',
    known: 7,
    extra: 4,
  },
];

const spec = {
  table: {
    name: 'typed',
    id: 'id',
    time: { column: 'day', kind: 'date' },
    roles: {
      self: {
        entity: 'sensor',
        key: 's',
        columns: {
          x: 'x',
          score: 'score',
          mixed: 'TRY_CAST(mixed AS DOUBLE)',
          flag: 'CAST(flag AS DOUBLE)',
          note: "CASE WHEN note = 'TRUE' THEN 1 ELSE 0 END",
        },
      },
    },
  },
  views: [
    { name: 'known', description: 'Known before', kind: 'column', ttl: '1d', column: 'known' },
    ...['x', 'score', 'mixed', 'flag', 'note'].map((column) => ({
      name: `${column}_last`,
      description: `Previous ${column}`,
      kind: 'lag' as const,
      entity: 'sensor',
      ttl: '10d',
      column,
      offset: 1,
    })),
  ],
} satisfies FeatureStoreSpecInput;

/** The same with `mixed` text from 2024-01-05 on: earlier histories hold only its numbers. */
const rowsWithText = rows.map((row) => (row.id === 'r5' ? { ...row, mixed: 'n/a' } : row));

describe('counterfactual histories from one copy of the rows in the database', () => {
  it.each([
    // Every probe from the copy, casting `x` to DOUBLE where a changed row made it fractional and
    // `score` to INTEGER before its 2.5.
    [
      'columns of numbers, booleans and text',
      rows,
      ['select', 'select', 'select', 'select', 'select', 'select'],
    ],
    // Text does not go back to numbers exactly: until the text is in the history, rows.
    ['a column of numbers, then text', rowsWithText, ['rows', 'rows', 'rows', 'rows', 'select', 'select']],
  ])(
    '%s: give the store the training set it builds from the counterfactual JS rows, at every time',
    async (_, rows, expectedSources) => {
      const plan = planFeatureStore(spec, 'spec');
      const full = await buildTrainingSet(plan, { rows });
      const time = new Int32Array(rows.length);
      const available = new Int32Array(rows.length);
      for (let i = 0; i < full.size; i++) {
        time[full.inputRow[i]!] = full.times[i]!;
        available[full.inputRow[i]!] = full.available[i]!;
      }
      const perturbed = ['x', 'score', 'mixed', 'extra', 'flag', 'note'];
      const asRows = new CounterfactualHistory(rows, time, available, perturbed);
      const copied = new CounterfactualHistory(rows, time, available, perturbed);
      const database = await createFeatureStoreDatabase({ threads: 1 });
      const connection = await database.instance.connect();
      const sources: string[] = [];
      try {
        await copied.inDatabase(connection, plan);
        for (const probe of new Set(full.times)) {
          const expected = await asRows.at(probe);
          const actual = await copied.at(probe);
          expect(actual.kept).toEqual(expected.kept);
          sources.push(Object.keys(actual.source)[0]!);
          const want = await buildTrainingSet(plan, expected.source, 'spec', database);
          const got = await buildTrainingSet(plan, actual.source, 'spec', database);
          expect(bits(got)).toEqual(bits(want));
        }
      } finally {
        connection.closeSync();
        database.close();
      }
      expect(sources).toEqual(expectedSources);
    },
  );
});

/** Every field of a training set, values and as-of times as text (NaN, -0 and last bits show). */
function bits(set: TrainingSet) {
  return {
    rows: [...set.inputRow],
    ids: set.ids,
    times: [...set.times],
    available: [...set.available],
    seasons: [...set.seasonIndex],
    entities: set.entities,
    values: set.columns.map((c) => [...set.values[c]!].map((v) => (Object.is(v, -0) ? '-0' : String(v)))),
    asOf: set.columns.map((c) => [...set.asOf[c]!].map(String)),
  };
}
