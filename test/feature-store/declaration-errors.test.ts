import { describe, expect, it } from 'vitest';
import {
  buildTrainingSet,
  type FeatureStoreSpecInput,
  planFeatureStore,
} from '../../pipelines/feature-store/index.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { readings, readingsRows } from './fixtures.ts';

type View = FeatureStoreSpecInput['views'][number];
const withView = (view: Record<string, unknown>): FeatureStoreSpecInput =>
  ({ ...readings, views: [view as unknown as View] }) as FeatureStoreSpecInput;
const lag = {
  name: 'x_last',
  description: 'Previous reading',
  kind: 'lag',
  entity: 'sensor',
  ttl: '3d',
  column: 'x',
  offset: 1,
};

async function failure(run: () => unknown): Promise<MlfolioError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(MlfolioError);
    return error as MlfolioError;
  }
  throw new Error('expected an MlfolioError, but the call succeeded');
}

describe('feature store declarations fail clearly', () => {
  it('rejects an unknown key, naming the view’s field and the nearest valid name', async () => {
    const error = await failure(() => planFeatureStore(withView({ ...lag, ofset: 2 }), 'project.yaml'));
    expect(error.code).toBe('E_FEATURE_STORE_INVALID');
    expect(error.message).toContain('project.yaml');
    expect(error.message).toMatch(/views\[0\]\.ofset: unknown field\. Did you mean "offset"\?/);
  });

  it('rejects a lag that would look ahead', async () => {
    const error = await failure(() => planFeatureStore(withView({ ...lag, offset: 0 }), 'project.yaml'));
    expect(error.code).toBe('E_FEATURE_LOOKAHEAD');
    expect(error.message).toContain(
      'feature view "x_last", field offset: offset 0 would read the event itself',
    );
  });

  it('rejects a rolling window of zero events or days', async () => {
    const { offset: _, ...rest } = lag;
    const rolling = { ...rest, kind: 'rolling', aggregate: 'mean', window: { days: 0 } };
    const error = await failure(() => planFeatureStore(withView(rolling), 'project.yaml'));
    expect(error.code).toBe('E_FEATURE_LOOKAHEAD');
    expect(error.message).toContain('field window.days');
  });

  it('rejects a feature on an unknown perspective column with the nearest name', async () => {
    const error = await failure(() => planFeatureStore(withView({ ...lag, column: 'xx' }), 'project.yaml'));
    expect(error.code).toBe('E_FEATURE_UNKNOWN_COLUMN');
    expect(error.message).toContain('"xx" is not a column of entity "sensor"');
    expect(error.message).toContain('Did you mean "x"?');
  });

  it('rejects a raw column feature on a column the events lack', async () => {
    const column = { name: 'flag', description: 'A flag', kind: 'column', ttl: '1d', column: 'recordd' };
    const error = await failure(() =>
      buildTrainingSet(withView(column), { rows: readingsRows }, 'project.yaml'),
    );
    expect(error.code).toBe('E_FEATURE_UNKNOWN_COLUMN');
    expect(error.message).toContain('feature view "flag", field column');
    expect(error.message).toContain('Did you mean "recorded"?');
  });

  it('rejects an unknown entity and an unknown role', async () => {
    const entity = await failure(() => planFeatureStore(withView({ ...lag, entity: 'sensors' }), 'p.yaml'));
    expect(entity.code).toBe('E_FEATURE_UNKNOWN_ENTITY');
    expect(entity.message).toContain('Did you mean "sensor"?');
    const role = await failure(() => planFeatureStore(withView({ ...lag, roles: ['home'] }), 'p.yaml'));
    expect(role.code).toBe('E_FEATURE_UNKNOWN_ROLE');
    expect(role.message).toContain('"home" is not a role of entity "sensor"');
  });

  it('rejects an entity key column missing from the table, and empty keys', async () => {
    const spec = {
      ...readings,
      table: { ...readings.table, roles: { self: { entity: 'sensor', key: 'sensr', columns: { x: 'x' } } } },
    };
    const missing = await failure(() => buildTrainingSet(spec, { rows: readingsRows }, 'p.yaml'));
    expect(missing.code).toBe('E_ENTITY_KEY_MISSING');
    expect(missing.message).toContain('field roles.self.key: the events have no column "sensr"');
    const rows = readingsRows.map((row, i) => (i === 2 ? { ...row, sensor: '' } : row));
    const empty = await failure(() => buildTrainingSet(readings, { rows }, 'p.yaml'));
    expect(empty.code).toBe('E_ENTITY_KEY_MISSING');
    expect(empty.message).toContain('is empty in row(s) 2');
  });

  it('rejects a time that does not parse, naming the rows and values', async () => {
    const rows = readingsRows.map((row, i) => (i === 4 ? { ...row, day: '2024-13-45' } : row));
    const error = await failure(() => buildTrainingSet(readings, { rows }, 'p.yaml'));
    expect(error.code).toBe('E_EVENT_TIME_INVALID');
    expect(error.message).toContain('row(s) 4 ("2024-13-45")');
  });

  it('rejects a formula over an unknown feature, and SQL that does not evaluate', async () => {
    const ratio = {
      name: 'r',
      description: 'Ratio',
      kind: 'formula',
      ttl: '1d',
      ratio: ['x_last', 'x_lats'],
    };
    const unknown = await failure(() => planFeatureStore({ ...readings, views: [lag, ratio] }, 'p.yaml'));
    expect(unknown.code).toBe('E_FEATURE_UNKNOWN_COLUMN');
    expect(unknown.message).toContain('Did you mean "x_last"?');
    const sql = {
      name: 'r',
      description: 'Bad SQL',
      kind: 'formula',
      ttl: '1d',
      expression: 'x_last * nope',
    };
    const invalid = await failure(() =>
      buildTrainingSet({ ...readings, views: [lag, sql] }, { rows: readingsRows }, 'p.yaml'),
    );
    expect(invalid.code).toBe('E_FEATURE_FORMULA_INVALID');
    expect(invalid.message).toContain('feature view "r", field expression');
    expect(invalid.message).toContain('nope');
  });
});
