import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readDecisionRecords } from '../../operations/decision-record.ts';
import { resolveDeployedModel } from '../../operations/deployed-model.ts';
import { readDeploymentLog } from '../../operations/deployment-record.ts';
import { monitorProject } from '../../operations/monitor.ts';
import { readMonitoringRecords } from '../../operations/monitoring-record.ts';
import { type ReplayOutcome, replayLastSeason } from '../../operations/replay.ts';
import { retrainProject } from '../../operations/retrain.ts';
import { exampleWorkspace } from '../helpers/example-workspace.ts';

let fixture: Awaited<ReturnType<typeof exampleWorkspace>>;
let outcome: ReplayOutcome;
let tick = 0;
// A fixed clock that moves a minute per call, so record ids are distinct and the test is repeatable.
const now = () => new Date(Date.UTC(2026, 0, 1, 12, tick++));

beforeAll(async () => {
  fixture = await exampleWorkspace();
  outcome = await replayLastSeason(fixture.workspace, fixture.project, { now });
}, 300_000);

afterAll(async () => {
  await fixture?.dispose();
});

describe('replaying the bundled data as if the last season arrived later', () => {
  test('the first model is trained without the last season and deployed by the replay', async () => {
    expect(outcome.cutoff).toBe('2016-07-22');
    expect(outcome.initialRun.dataUntil).toBe('2016-07-22');
    expect(outcome.initialRun.split.test.seasons).toEqual(['2015-16']);
    // Its data card describes the matches it used, not the whole collection.
    const used = outcome.initialRun.inputs.dataset;
    expect(used.lastDate <= '2016-07-22').toBe(true);
    expect(used.firstDate).toBe('2013-07-20');
    expect(used.rows).toBe(outcome.initialRun.split.train.rows + outcome.initialRun.split.test.rows);
    const log = await readDeploymentLog(fixture.workspace, fixture.project.slug);
    expect(log.deployments[0]).toMatchObject({ by: 'replay', model: { runId: outcome.initialRun.runId } });
  });

  test('monitoring compares the new season with the training seasons and scores the deployed model on it', async () => {
    const [record] = await readMonitoringRecords(fixture.workspace, fixture.project.slug);
    expect(record).toEqual(outcome.monitoring);
    expect(record!.reference.seasons).toEqual(['2013-14', '2014-15']);
    expect(record!.current).toMatchObject({ seasons: ['2016-17'], rows: 1626 });
    expect(record!.drift!.features.map((f) => f.feature)).toEqual(fixture.project.spec.features);
    const rps = record!.performance!.current.rps!;
    expect(rps.lower!).toBeLessThan(rps.value);
    expect(rps.upper!).toBeGreaterThan(rps.value);
    expect(record!.performance!.windows.every((w) => w.rows >= 50)).toBe(true);
    expect(record!.performance!.windows.reduce((sum, w) => sum + w.rows, 0)).toBe(1626);
    expect(record!.findings.length).toBeGreaterThan(0);
  });

  test('the retrain decision compares both models on the new season with a paired interval, and the log follows it', async () => {
    const [decision] = await readDecisionRecords(fixture.workspace, fixture.project.slug);
    expect(decision).toEqual(outcome.decision);
    expect(decision!.heldOut.seasons).toEqual(['2016-17']);
    expect(decision!.champion.runId).toBe(outcome.initialRun.runId);
    expect(decision!.challenger.runId).not.toBe(outcome.initialRun.runId);
    expect(decision!.difference.value).toBeCloseTo(
      decision!.challenger.score.value - decision!.champion.score.value,
      12,
    );
    const excludesZero = decision!.difference.upper! < 0 || decision!.difference.lower! > 0;
    expect(decision!.verdict).toBe(excludesZero && decision!.difference.value < 0 ? 'promote' : 'keep');
    const deployed = await resolveDeployedModel(fixture.workspace, fixture.project.slug);
    expect(deployed.ref).toEqual(decision!.deployed);
  });

  test('retraining again with no new data keeps the deployed model and says why', async () => {
    const before = await resolveDeployedModel(fixture.workspace, fixture.project.slug);
    const { record } = await retrainProject(fixture.workspace, fixture.project, { now });
    expect(record.verdict).toBe('keep');
    if (
      record.champion.runKey === record.challenger.runKey &&
      record.champion.modelId === record.challenger.modelId
    ) {
      expect(record.reason).toMatch(/challenger is the champion itself/);
      expect(record.difference).toEqual({ value: 0, lower: 0, upper: 0 });
    } else {
      expect(record.reason).toMatch(/champion stays/);
    }
    expect((await resolveDeployedModel(fixture.workspace, fixture.project.slug)).ref).toEqual(before.ref);
  });

  test('monitoring data that ends where the deployed model’s ends records that there is nothing new', async () => {
    const { record, file } = await monitorProject(fixture.workspace, fixture.project, {
      now,
      dataUntil: outcome.cutoff,
    });
    expect(record.status).toBe('no-new-data');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(record);
  });
});

describe('retraining a project whose model was never promoted', () => {
  test('keeps and pins the implicitly deployed model, so a later pipeline run cannot replace it silently', async () => {
    const fresh = await exampleWorkspace();
    try {
      const { runProject } = await import('../../pipelines/run-project.ts');
      const { record: run } = await runProject(fresh.workspace, fresh.project, { now });
      const { record } = await retrainProject(fresh.workspace, fresh.project, { now });
      expect(record.verdict).toBe('keep');
      const log = await readDeploymentLog(fresh.workspace, fresh.project.slug);
      expect(log.deployments).toEqual([
        expect.objectContaining({
          by: 'retrain',
          decision: record.id,
          model: { runId: run.runId, runKey: run.key, modelId: run.best },
        }),
      ]);
    } finally {
      await fresh.dispose();
    }
  }, 120_000);
});
