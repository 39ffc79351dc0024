import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { buildLabelReport } from '../../labelling/label-report.ts';
import { LabelStore } from '../../labelling/label-store.ts';
import {
  labellingFunctionSubmissions,
  loadProjectTask,
  projectLabelLogPath,
  readLabelSnapshot,
} from '../../labelling/project-task.ts';
import {
  labelEffectMeasured,
  labelErrorAudit,
  labellingAgreement,
} from '../../learning/audit/checks/labelling-checks.ts';
import { gatherEvidence } from '../../learning/audit/project-evidence.ts';
import { checkSameEvents, measureLabelEffects } from '../../pipelines/engine/label-effect.ts';
import { joinLabelColumns } from '../../pipelines/engine/label-join.ts';
import { runEngine } from '../../pipelines/engine/run-engine.ts';
import { isMlfolioError } from '../../portfolio/errors.ts';
import { indicatorColumn } from '../../portfolio/project-file/data-spec.ts';
import { loadProjectFile, parseProjectText } from '../../portfolio/project-file/load.ts';
import { fixtureMatches, fixtureProject, fixtureTournaments, fixtureWorkspace } from './project-fixture.ts';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

async function workspace(project = fixtureProject()) {
  const made = await fixtureWorkspace('labelled', project);
  roots.push(made.root);
  return made;
}

function problemsOf(project: Record<string, unknown>): string {
  try {
    parseProjectText('p', stringify(project), 'content/projects/p/project.yaml');
  } catch (error) {
    if (isMlfolioError(error)) return error.message;
    throw error;
  }
  return '';
}

/** Records labels as `annotator` through the store, as the page does. */
async function label(
  path: string,
  task: Awaited<ReturnType<typeof loadProjectTask>>,
  annotator: string,
  labels: Record<string, string>,
  round: 'queue' | 'self-overlap' | 'relabel' = 'queue',
) {
  const store = await LabelStore.open(task, path, { durability: 'write' });
  try {
    store.submitMany(
      Object.entries(labels).map(([item, value]) => ({ item, label: value, annotator, round })),
      'test labels',
    );
  } finally {
    store.close();
  }
}

/** The fixture's tournaments with the importance a careful annotator gives them. */
const truth: Record<string, string> = {
  'World Cup': 'major',
  'World Cup qualification': 'qualifier',
  'Continental Cup': 'major',
  'Continental Cup qualification': 'qualifier',
  Friendly: 'friendly',
  'Regional Games': 'other',
  'Invitational Trophy': 'friendly',
};

describe('a labelling task declared in a version 2 project', () => {
  it("takes its items from the distinct values of a project table's column, with their rows and time span", async () => {
    const { workspace: ws } = await workspace();
    const project = await loadProjectFile(ws, 'labelled');
    const task = await loadProjectTask(ws, project);
    expect(task.items.map((i) => i.id).sort()).toEqual([...fixtureTournaments].sort());
    const friendly = task.items.find((i) => i.id === 'Friendly')!;
    expect(friendly.context).toMatchObject({ tournament: 'Friendly', rows: 68 });
    expect(String(friendly.context.first) < String(friendly.context.last)).toBe(true);
    await expect(loadProjectTask(ws, project, 'importanse')).rejects.toMatchObject({
      code: 'E_LABEL_TASK_MISSING',
      hint: expect.stringContaining('"importance"'),
    });
  });

  it('rejects a join naming an unknown task, column or class, and a misspelt task field, each with the nearest name', () => {
    const base = fixtureProject();
    const matches = (base.data as { tables: { matches: Record<string, unknown> } }).tables.matches;
    const withJoin = (join: Record<string, unknown>) =>
      fixtureProject({
        data: { ...(base.data as object), tables: { matches: { ...matches, labels: [join] } } },
      });
    const good = { task: 'importance', key: 'tournament', column: 'importance', default: 'other' };
    expect(problemsOf(fixtureProject())).toBe('');
    expect(problemsOf(withJoin({ ...good, task: 'importanse' }))).toMatch(
      /data\.tables\.matches\.labels\[0\]\.task: no labelling task is named "importanse"\. Did you mean "importance"\?/,
    );
    expect(problemsOf(withJoin({ ...good, key: 'tournamnet' }))).toMatch(
      /labels\[0\]\.key: the table "matches" has no column "tournamnet"\. Did you mean "tournament"\?/,
    );
    expect(problemsOf(withJoin({ ...good, default: 'majr' }))).toMatch(
      /labels\[0\]\.default: "majr" is not a class of "importance"\. Did you mean "major"\?/,
    );
    expect(problemsOf(withJoin({ ...good, column: 'tournament' }))).toMatch(/already a column of "matches"/);
    expect(problemsOf(withJoin({ ...good, effectOn: ['elo2'] }))).toMatch(
      /effectOn\[0\]: no model has id "elo2"/,
    );
    const task = (base.labelling as { tasks: Record<string, unknown>[] }).tasks[0]!;
    const { guidelines, ...rest } = task;
    expect(
      problemsOf(fixtureProject({ labelling: { tasks: [{ ...rest, guidlines: guidelines }] } })),
    ).toMatch(/labelling\.tasks\[0\]\.guidlines: unknown field\. Did you mean "guidelines"\?/);
    expect(
      problemsOf(
        fixtureProject({
          labelling: {
            tasks: [{ ...task, items: { source: 'project-table', table: 'matchs', distinct: 'tournament' } }],
          },
        }),
      ),
    ).toMatch(/items\.table: no table is named "matchs"\. Did you mean "matches"\?/);
  });
});

describe('labels feed the engine with lineage', () => {
  it('names the label snapshot in the run, reports unlabelled items, and reruns exactly the stages that read the labels', async () => {
    const { workspace: ws } = await workspace();
    const project = await loadProjectFile(ws, 'labelled');
    const task = await loadProjectTask(ws, project);
    const log = projectLabelLogPath(ws, 'labelled', 'importance');

    const first = await runEngine(ws, project);
    expect(first.record.labels).toEqual([
      expect.objectContaining({
        task: 'importance',
        column: 'importance',
        snapshot: readLabelSnapshot(log).id,
        items: 7,
        labelled: 0,
        unlabelled: expect.objectContaining({ items: 7, rows: 480, default: 'other' }),
      }),
    ]);
    // before any label, every match is sliced under the default class
    expect(first.record.slices?.filter((s) => s.dimension === 'importance').map((s) => s.value)).toEqual([
      'other',
    ]);

    // the labelling functions settle three items; a person labels two finals
    const store = await LabelStore.open(task, log, { durability: 'write' });
    const submissions = labellingFunctionSubmissions(task, store.state);
    expect(submissions.map((s) => `${s.annotator} ${s.item}`).sort()).toEqual([
      'labelling-function:friendly Friendly',
      'labelling-function:qualification Continental Cup qualification',
      'labelling-function:qualification World Cup qualification',
    ]);
    store.submitMany(submissions, 'labelling functions');
    expect(labellingFunctionSubmissions(task, store.state)).toEqual([]);
    store.close();
    await label(log, task, 'ana', { 'World Cup': 'major', 'Continental Cup': 'major', Friendly: 'other' });

    const snapshot = readLabelSnapshot(log);
    // a person's label outranks a labelling function's on the same item
    expect(snapshot.resolved.get('Friendly')).toEqual({
      label: 'other',
      by: 'annotator',
      annotators: ['ana'],
    });
    expect(snapshot.resolved.get('World Cup qualification')).toMatchObject({
      label: 'qualifier',
      by: 'labelling-function',
    });

    const second = await runEngine(ws, project);
    const cached = Object.fromEntries(second.record.stages.map((s) => [s.name, s.cached]));
    expect(cached).toMatchObject({
      'collect:matches': true,
      'labels:importance': false,
      features: false,
      split: false,
    });
    expect(second.record.labels![0]).toMatchObject({
      snapshot: snapshot.id,
      labelled: 5,
      byAnnotator: 3,
      byLabellingFunction: 2,
      unlabelled: {
        items: 2,
        default: 'other',
        examples: expect.arrayContaining(['Regional Games', 'Invitational Trophy']),
      },
    });
    expect(second.record.labels![0]!.snapshot).not.toBe(first.record.labels![0]!.snapshot);
    expect(second.record.stages.find((s) => s.name === 'features')!.needs).toEqual([
      'collect:matches',
      'labels:importance',
    ]);

    const third = await runEngine(ws, project);
    expect(third.reused).toBe(true);

    // A repeat that disagrees is a measurement, not a vote; a relabel to the repeat's answer leaves
    // every annotator's current label (the snapshot) as it was, yet changes the resolved label.
    await label(log, task, 'ana', { 'Regional Games': 'major' });
    await label(log, task, 'ana', { 'Regional Games': 'other' }, 'self-overlap');
    expect(readLabelSnapshot(log).resolved.get('Regional Games')!.label).toBe('major');
    const fourth = await runEngine(ws, project);
    const snapshotBefore = readLabelSnapshot(log).id;
    await label(log, task, 'ana', { 'Regional Games': 'other' }, 'relabel');
    expect(readLabelSnapshot(log).id).toBe(snapshotBefore);
    expect(readLabelSnapshot(log).resolved.get('Regional Games')!.label).toBe('other');
    const fifth = await runEngine(ws, project);
    expect(fifth.reused).toBe(false);
    expect(fifth.record.stages.find((s) => s.name === 'labels:importance')!.cached).toBe(false);
    expect(fifth.record.stages.find((s) => s.name === 'features')!.key).not.toBe(
      fourth.record.stages.find((s) => s.name === 'features')!.key,
    );
  }, 120_000);
});

describe('what the labels were worth, and the audit', () => {
  it('measures agreement, gold accuracy, the error audit, learning curves and the effect on Elo, and the audit checks read it', async () => {
    const { workspace: ws, dir } = await workspace();
    const project = await loadProjectFile(ws, 'labelled');
    const task = await loadProjectTask(ws, project);
    const log = projectLabelLogPath(ws, 'labelled', 'importance');

    let evidence = await gatherEvidence(ws, 'labelled');
    expect(labellingAgreement.run(evidence)).toMatchObject({
      verdict: 'fail',
      hint: expect.stringContaining('mlfolio label labelled importance --report'),
    });

    await label(log, task, 'ai-agent:test', truth);
    await label(log, task, 'bea', { ...truth, 'Invitational Trophy': 'other' });
    const report = await buildLabelReport(ws, project, task, log, { seeds: 3 });
    expect(report.annotators.map((a) => [a.id, a.kind])).toEqual([
      ['ai-agent:test', 'ai-agent'],
      ['bea', 'person'],
    ]);
    expect(report.quality.overlapItems).toBe(7);
    expect(report.quality.percentAgreement!.estimate).toBeCloseTo(6 / 7, 10);
    expect(report.quality.gold['ai-agent:test']).toEqual({ items: 2, accuracy: 1 });
    expect(report.audit.labels).toBe(7);
    expect(report.learningCurve.points.at(-1)!.labels).toBe(7 - report.learningCurve.evaluationItems);
    const effect = report.effects[0]!;
    expect(effect).toMatchObject({
      task: 'importance',
      column: 'importance',
      model: 'elo',
      metric: 'log_loss',
    });
    expect(effect.difference.lower!).toBeLessThanOrEqual(effect.difference.value);
    expect(effect.difference.upper!).toBeGreaterThanOrEqual(effect.difference.value);
    expect(effect.withLabels).not.toBe(effect.withoutLabels);

    await writeFile(join(dir, 'labels', 'importance.report.json'), JSON.stringify(report));
    evidence = await gatherEvidence(ws, 'labelled');
    expect(labellingAgreement.run(evidence)).toMatchObject({
      verdict: 'pass',
      evidence: expect.arrayContaining([
        expect.stringContaining('agreement between 2 annotators on 7 items: 85.7%'),
      ]),
    });
    expect(labelErrorAudit.run(evidence).verdict).toBe('fail'); // 7 labels: too few to audit
    expect(labelEffectMeasured.run(evidence)).toMatchObject({ verdict: 'pass' });

    // new labels after the report: the effect no longer describes the labels in the log
    await label(log, task, 'bea', { 'Invitational Trophy': 'friendly' });
    evidence = await gatherEvidence(ws, 'labelled');
    expect(labelEffectMeasured.run(evidence)).toMatchObject({
      verdict: 'fail',
      hint: expect.stringContaining('the labels changed since the report measured them'),
    });
  }, 120_000);
});

describe('the label effect of a join', () => {
  it('refuses to compare arms that hold different events, naming the column and the fix', () => {
    expect(() =>
      checkSameEvents(
        'content/projects/p/project.yaml',
        'importance',
        { ids: ['a', 'b', 'c'] },
        { ids: ['a', 'c'] },
      ),
    ).toThrow(
      expect.objectContaining({
        code: 'E_LABEL_EFFECT_UNPAIRED',
        message: expect.stringContaining('compares 3 events with the labels against 2 without them'),
        hint: expect.stringContaining('Give the feature views that read the labelled column a default'),
      }),
    );
    // The same events in another order are not the same pairing either.
    expect(() => checkSameEvents('p.yaml', 'importance', { ids: ['a', 'b'] }, { ids: ['b', 'a'] })).toThrow(
      expect.objectContaining({ code: 'E_LABEL_EFFECT_UNPAIRED' }),
    );
    expect(() =>
      checkSameEvents('p.yaml', 'importance', { ids: ['a', 'b'] }, { ids: ['a', 'b'] }),
    ).not.toThrow();
  });
});

describe('the label effect pooled over rolling-origin folds', () => {
  const pooledProject = (effectFolds: number | 'all') => {
    const base = fixtureProject({ backtest: { minTrainSeasons: 2, maxFolds: 4 } });
    const matches = (base.data as { tables: { matches: { labels: Record<string, unknown>[] } } }).tables
      .matches;
    matches.labels = [{ ...matches.labels[0]!, effectFolds }];
    return base;
  };

  it('scores each earlier season with a model fitted on the seasons before it, as the backtest does, then the test period, paired by match', async () => {
    const { workspace: ws } = await workspace(pooledProject('all'));
    const project = await loadProjectFile(ws, 'labelled');
    const task = await loadProjectTask(ws, project);
    await label(projectLabelLogPath(ws, 'labelled', 'importance'), task, 'bea', truth);

    const [effect] = await measureLabelEffects(ws, project);
    // Six seasons, 2015–2020: the test period is 2020; with two training seasons the first
    // fold holds out 2017, so 2017–2019 are folds and 2020 the test period.
    expect(effect!.pooled).toMatchObject({ periods: 4, firstSeason: '2017', lastSeason: '2020', seasons: 4 });
    const rows = fixtureMatches()
      .trim()
      .split('\n')
      .slice(1)
      .filter((line) => line.slice(0, 4) >= '2017').length;
    expect(effect!.pooled!.rows).toBe(rows);
    const d = effect!.pooled!.difference;
    expect(d.lower!).toBeLessThanOrEqual(d.value);
    expect(d.upper!).toBeGreaterThanOrEqual(d.value);
    expect(d.value).toBeCloseTo(effect!.pooled!.withLabels - effect!.pooled!.withoutLabels, 12);

    // The run computes the same folds independently: its backtest (folds 2017–2019, and 2020,
    // with the labels) and its test-period evaluation, weighted by rows, give the pooled figure.
    const { record } = await runEngine(ws, project);
    const folds = record.backtest!.filter((fold) => fold.testSeason !== '2020');
    expect(folds.map((fold) => fold.testSeason)).toEqual(['2017', '2018', '2019']);
    const elo = record.models.find((m) => m.id === 'elo')!;
    expect(elo.metrics.log_loss!.value).toBeCloseTo(effect!.withLabels, 6);
    const weighted =
      (folds.reduce((sum, fold) => sum + fold.rows * fold.metrics.elo!.log_loss!, 0) +
        effect!.rows * effect!.withLabels) /
      (folds.reduce((sum, fold) => sum + fold.rows, 0) + effect!.rows);
    expect(effect!.pooled!.withLabels).toBeCloseTo(weighted, 6);
  }, 120_000);

  it('fails naming the field and the fix when no season before the test period can be a fold', async () => {
    const base = pooledProject('all');
    // Six seasons, 2015–2020: with five to train on, the only fold would hold out 2020, the test period.
    base.backtest = { minTrainSeasons: 5, maxFolds: 4 };
    const { workspace: ws } = await workspace(base);
    const project = await loadProjectFile(ws, 'labelled');
    const task = await loadProjectTask(ws, project);
    await label(projectLabelLogPath(ws, 'labelled', 'importance'), task, 'bea', truth);
    await expect(measureLabelEffects(ws, project)).rejects.toMatchObject({
      code: 'E_LABEL_EFFECT_NO_FOLDS',
      message: expect.stringMatching(/effectFolds: all.*test period \(2020\).*minTrainSeasons \(5\)/),
      hint: expect.stringContaining('remove effectFolds'),
    });
  }, 120_000);

  it('keeps the latest folds when given a number, and measures the test period alone when not asked', async () => {
    const { workspace: ws } = await workspace(pooledProject(1));
    const project = await loadProjectFile(ws, 'labelled');
    const task = await loadProjectTask(ws, project);
    await label(projectLabelLogPath(ws, 'labelled', 'importance'), task, 'bea', truth);
    const [effect] = await measureLabelEffects(ws, project);
    expect(effect!.pooled).toMatchObject({ periods: 2, firstSeason: '2019', lastSeason: '2020' });

    const plain = await workspace();
    const plainProject = await loadProjectFile(plain.workspace, 'labelled');
    await label(projectLabelLogPath(plain.workspace, 'labelled', 'importance'), task, 'bea', truth);
    const [alone] = await measureLabelEffects(plain.workspace, plainProject);
    expect(alone!.pooled).toBeUndefined();
    expect(alone!.withLabels).toBe(effect!.withLabels);
  }, 120_000);

  it('rejects a fold count that is not a positive whole number or "all"', () => {
    expect(problemsOf(pooledProject(0))).toMatch(/labels\[0\]\.effectFolds/);
    expect(problemsOf(pooledProject('some' as 'all'))).toMatch(/labels\[0\]\.effectFolds/);
    expect(problemsOf(pooledProject('all'))).toBe('');
  });
});

describe('indicator columns of a label join', () => {
  const join = {
    task: 'importance',
    key: 'tournament',
    column: 'importance',
    default: 'other',
    indicators: ['major', 'friendly'],
  };
  const joined = (labels: Record<string, string>) =>
    joinLabelColumns(
      [{ tournament: 'World Cup' }, { tournament: 'Friendly' }, { tournament: 'Unlabelled Cup' }],
      [
        {
          join,
          labels,
          snapshot: 's',
          resolvedSha256: 'r',
          log: 'labels/importance.labels.jsonl',
          byAnnotator: 2,
          byLabellingFunction: 0,
        },
      ],
    ).rows;

  it('adds 1 where the row is labelled the indicated class and 0 elsewhere, the default counting as a label', () => {
    expect(joined({ 'World Cup': 'major', Friendly: 'friendly' })).toEqual([
      { tournament: 'World Cup', importance: 'major', importance_major: 1, importance_friendly: 0 },
      { tournament: 'Friendly', importance: 'friendly', importance_major: 0, importance_friendly: 1 },
      { tournament: 'Unlabelled Cup', importance: 'other', importance_major: 0, importance_friendly: 0 },
    ]);
    // without labels every row takes the default: the indicators no longer vary
    expect(joined({}).map((row) => [row.importance_major, row.importance_friendly])).toEqual([
      [0, 0],
      [0, 0],
      [0, 0],
    ]);
    expect(indicatorColumn({ column: 'importance' }, 'world-cup')).toBe('importance_world_cup');
  });

  it('rejects an indicated class the task does not have, a class listed twice, and a column the table already has', () => {
    const base = fixtureProject();
    const matches = (base.data as { tables: { matches: Record<string, unknown> } }).tables.matches;
    const withJoin = (indicators: string[]) =>
      fixtureProject({
        data: {
          ...(base.data as object),
          tables: { matches: { ...matches, labels: [{ ...join, indicators }] } },
        },
      });
    expect(problemsOf(withJoin(['major', 'friendly']))).toBe('');
    expect(problemsOf(withJoin(['majr']))).toMatch(
      /labels\[0\]\.indicators\[0\]: "majr" is not a class of "importance"\. Did you mean "major"\?/,
    );
    expect(problemsOf(withJoin(['major', 'friendly', 'major']))).toMatch(
      /labels\[0\]\.indicators\[2\]: "major" and "major" would both be column "importance_major"/,
    );
    const clash = fixtureProject({
      data: {
        ...(base.data as object),
        tables: {
          matches: {
            ...matches,
            columns: { ...(matches.columns as object), importance_major: 'integer' },
            labels: [{ ...join, indicators: ['major'] }],
          },
        },
      },
    });
    expect(problemsOf(clash)).toMatch(
      /labels\[0\]\.indicators\[0\]: "importance_major" is already a column of "matches"/,
    );
  });
});
