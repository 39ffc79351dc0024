import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { readDecisionRecords } from '../../operations/decision-record.ts';
import { readDeploymentLog } from '../../operations/deployment-record.ts';
import { readMonitoringRecords } from '../../operations/monitoring-record.ts';
import { operationsPaths, recordId } from '../../operations/operations-paths.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { type Workspace, workspaceAt } from '../../portfolio/workspace.ts';

let workspace: Workspace;
const slug = 'some-project';

beforeEach(async () => {
  workspace = workspaceAt(await mkdtemp(join(tmpdir(), 'mlfolio-records-')));
});
afterEach(async () => {
  await rm(workspace.root, { recursive: true, force: true });
});

describe('operations records', () => {
  test('a project with no operations yet has empty records and an empty deployment log', async () => {
    expect(await readMonitoringRecords(workspace, slug)).toEqual([]);
    expect(await readDecisionRecords(workspace, slug)).toEqual([]);
    expect(await readDeploymentLog(workspace, slug)).toEqual({
      schemaVersion: 1,
      project: slug,
      deployments: [],
    });
  });

  test('a hand-edited record that is not JSON fails with its code and file', async () => {
    const { monitoringDir } = operationsPaths(workspace, slug);
    await mkdir(monitoringDir, { recursive: true });
    await writeFile(join(monitoringDir, '20260101T000000000Z.json'), '{ not json');
    const error = await readMonitoringRecords(workspace, slug).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MlfolioError);
    expect((error as MlfolioError).code).toBe('E_MONITORING_CORRUPT');
    expect((error as MlfolioError).message).toContain('20260101T000000000Z.json');
  });

  test('a decision record with a wrong field names the field', async () => {
    const { decisionsDir } = operationsPaths(workspace, slug);
    await mkdir(decisionsDir, { recursive: true });
    await writeFile(
      join(decisionsDir, '20260101T000000000Z.json'),
      JSON.stringify({ schemaVersion: 1, verdict: 'maybe' }),
    );
    const error = (await readDecisionRecords(workspace, slug).catch((e: unknown) => e)) as MlfolioError;
    expect(error.code).toBe('E_DECISION_CORRUPT');
    expect(error.message).toMatch(/verdict: received "maybe"/);
  });

  test('record ids sort in time order to the millisecond', () => {
    const ids = [0, 1, 1000].map((ms) => recordId(new Date(Date.UTC(2026, 0, 1) + ms)));
    expect(ids).toEqual(['20260101T000000000Z', '20260101T000000001Z', '20260101T000001000Z']);
  });
});
