import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LabelReport } from '../../labelling/label-report.ts';
import {
  labelEffectMeasured,
  labelErrorAudit,
  labellingAgreement,
} from '../../learning/audit/checks/labelling-checks.ts';
import type { LabellingTaskEvidence } from '../../learning/audit/labelling-evidence.ts';
import type { ProjectEvidence } from '../../learning/audit/project-evidence.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';

const shipped = JSON.parse(
  readFileSync(
    join(
      import.meta.dirname,
      '../../content/projects/international-match-outcomes/labels/competition-importance.report.json',
    ),
    'utf8',
  ),
) as LabelReport;

/** Evidence holding only what the labelling checks read: the tasks, their reports, and the run's label lineage. */
function evidence(
  tasks: Partial<LabellingTaskEvidence>[],
  runLabels?: NonNullable<RunRecord['labels']>,
): ProjectEvidence {
  return {
    slug: 'p',
    specFile: 'content/projects/p/project.yaml',
    labelling: tasks.map((t) => ({
      task: 'competition-importance',
      reportFile: 'content/projects/p/labels/competition-importance.report.json',
      report: undefined,
      currentSnapshot: undefined,
      currentResolved: undefined,
      problem: undefined,
      ...t,
    })),
    run: runLabels ? ({ runId: 'r1', labels: runLabels } as RunRecord) : undefined,
  } as ProjectEvidence;
}

const lineage = (snapshot: string, resolvedSha256: string) => [
  {
    task: 'competition-importance',
    column: 'importance',
    key: 'tournament',
    snapshot,
    resolvedSha256,
    log: 'x',
    items: 202,
    labelled: 202,
    byAnnotator: 166,
    byLabellingFunction: 36,
    unlabelled: { items: 0, rows: 0, default: 'other-competitive', examples: [] },
  },
];

describe('the labelling checks', () => {
  it('fail without a labelling task, and without a report, saying which command makes one', () => {
    for (const check of [labellingAgreement, labelErrorAudit, labelEffectMeasured]) {
      expect(check.run(evidence([]))).toMatchObject({
        verdict: 'fail',
        evidence: ['The project declares no labelling task.'],
      });
      expect(check.run(evidence([{}]))).toMatchObject({
        verdict: 'fail',
        hint: 'Measure the labels with `mlfolio label p competition-importance --report`.',
      });
    }
  });

  it('pass on the shipped report: self-agreement with its interval, the audit, and the effect on the snapshot the run read', () => {
    const current = {
      report: shipped,
      currentSnapshot: shipped.snapshot,
      currentResolved: shipped.resolvedSha256,
    };
    const run = lineage(shipped.snapshot, shipped.resolvedSha256);
    expect(labellingAgreement.run(evidence([current], run))).toMatchObject({
      verdict: 'pass',
      evidence: expect.arrayContaining([
        expect.stringMatching(/^Measured self-agreement on 47 repeated items: 97\.9% \[/),
      ]),
    });
    expect(labelErrorAudit.run(evidence([current], run))).toMatchObject({ verdict: 'pass' });
    expect(labelEffectMeasured.run(evidence([current], run))).toMatchObject({
      verdict: 'pass',
      evidence: expect.arrayContaining(['The latest run read the same snapshot (sha256:59db070c729e…).']),
    });
  });

  it('fail when agreement has no interval, and when the run read other labels than the report measured', () => {
    const lonely = {
      ...shipped,
      quality: { ...shipped.quality, percentAgreement: undefined, selfAgreement: { pairs: 3 } },
    } as LabelReport;
    expect(labellingAgreement.run(evidence([{ report: lonely }]))).toMatchObject({
      verdict: 'fail',
      evidence: [expect.stringContaining('3 self-overlap repeats; no agreement with an interval')],
    });
    const current = {
      report: shipped,
      currentSnapshot: shipped.snapshot,
      currentResolved: shipped.resolvedSha256,
    };
    expect(labelEffectMeasured.run(evidence([current], lineage(shipped.snapshot, 'other')))).toMatchObject({
      verdict: 'fail',
      hint: expect.stringContaining('the latest run read other labels than the report measured'),
    });
    expect(labelEffectMeasured.run(evidence([{ ...current, currentResolved: 'relabelled' }]))).toMatchObject({
      verdict: 'fail',
      evidence: [expect.stringContaining('resolve differently now')],
    });
    const noEffect = { ...shipped, effects: [] };
    expect(labelEffectMeasured.run(evidence([{ report: noEffect }]))).toMatchObject({ verdict: 'fail' });
  });
});
