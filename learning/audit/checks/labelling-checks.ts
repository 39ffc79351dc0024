import { type Check, type CheckOutcome, fail, pass } from '../check.ts';
import type { LabellingTaskEvidence } from '../labelling-evidence.ts';
import type { ProjectEvidence } from '../project-evidence.ts';

const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

/** Runs `body` on the first labelling task with a report, or fails saying how to get one. */
function withLabelReport(
  evidence: ProjectEvidence,
  body: (
    task: LabellingTaskEvidence & { report: NonNullable<LabellingTaskEvidence['report']> },
  ) => CheckOutcome,
): CheckOutcome {
  const tasks = evidence.labelling;
  if (tasks.length === 0) {
    return fail(
      `Declare a labelling task in ${evidence.specFile} (labelling.tasks; see "Labelling" in the README), label it with \`mlfolio label ${evidence.slug}\`, then measure it with \`mlfolio label ${evidence.slug} --report\`.`,
      'The project declares no labelling task.',
    );
  }
  const reported = tasks.find((t) => t.report);
  if (!reported?.report) {
    const problems = tasks.flatMap((t) => (t.problem ? [t.problem] : []));
    return fail(
      `Measure the labels with \`mlfolio label ${evidence.slug} ${tasks[0]!.task} --report\`.`,
      `No label report for ${tasks.map((t) => `"${t.task}"`).join(', ')} (expected ${tasks[0]!.reportFile}).`,
      ...problems,
    );
  }
  return body({ ...reported, report: reported.report });
}

export const labellingAgreement: Check = {
  id: 'labelling-agreement',
  run: (evidence) =>
    withLabelReport(evidence, ({ task, report }) => {
      const q = report.quality;
      const between = q.percentAgreement;
      const self = q.selfAgreement;
      const measured = between
        ? `agreement between ${q.annotators.length} annotators on ${q.overlapItems} items: ${percent(between.estimate)} [${percent(between.low)}, ${percent(between.high)}]`
        : self.percentAgreement && self.pairs >= 10
          ? `self-agreement on ${self.pairs} repeated items: ${percent(self.percentAgreement.estimate)} [${percent(self.percentAgreement.low)}, ${percent(self.percentAgreement.high)}]${self.cohenKappa ? `, Cohen's κ ${self.cohenKappa.estimate.toFixed(3)} [${self.cohenKappa.low.toFixed(3)}, ${self.cohenKappa.high.toFixed(3)}]` : ''}`
          : undefined;
      if (!measured) {
        return fail(
          `Label some items twice: have a second annotator overlap, or keep sampling.selfOverlapShare so repeats come back (10 or more), then rerun --report.`,
          `Task "${task}": ${q.overlapItems} items with two annotators and ${self.pairs} self-overlap repeats; no agreement with an interval.`,
        );
      }
      const gold = Object.entries(q.gold).map(([a, g]) => `${a} ${percent(g.accuracy)} of ${g.items}`);
      return pass(
        `Task "${task}" (guidelines ${report.guidelinesVersion}), ${report.labelled.items} of ${report.items} items labelled by ${report.annotators.map((a) => a.id).join(', ')}.`,
        `Measured ${measured}.`,
        gold.length ? `Gold accuracy: ${gold.join(', ')}.` : 'No gold items.',
      );
    }),
};

export const labelErrorAudit: Check = {
  id: 'label-error-audit',
  run: (evidence) =>
    withLabelReport(evidence, ({ task, report }) => {
      const audit = report.audit;
      if (!audit || audit.labels < 10) {
        return fail(
          `Rerun \`mlfolio label ${evidence.slug} ${task} --report\` once the task has 10 or more labels, so confident learning can rank suspect labels.`,
          `Task "${task}": no label-error audit recorded.`,
        );
      }
      return pass(
        `Confident learning over ${audit.folds}-fold out-of-fold probabilities of ${audit.model}: ${audit.suspects.length} suspect labels of ${audit.labels}, in a relabel queue.`,
        audit.suspects.length
          ? `Most suspect: ${audit.suspects
              .slice(0, 3)
              .map((s) => `"${s.item}" labelled ${s.given}, the model says ${s.suggested}`)
              .join('; ')}.`
          : 'No label is suspect.',
      );
    }),
};

export const labelEffectMeasured: Check = {
  id: 'label-effect-measured',
  run: (evidence) =>
    withLabelReport(evidence, ({ task, report, currentSnapshot, currentResolved }) => {
      const effect = report.effects.find(
        (e) => e.difference.lower !== undefined && e.difference.upper !== undefined,
      );
      if (!effect) {
        return fail(
          `Join the task's labels into the events table (data.tables.<events>.labels) so a model reads them, then rerun --report to measure the model with and without them.`,
          `Task "${task}": no model was measured with and without its labels.`,
        );
      }
      if (
        (currentSnapshot && currentSnapshot !== report.snapshot) ||
        (currentResolved && report.resolvedSha256 && currentResolved !== report.resolvedSha256)
      ) {
        return fail(
          `Rerun \`mlfolio label ${evidence.slug} ${task} --report\`: the labels changed since the report measured them.`,
          currentSnapshot !== report.snapshot
            ? `The report measured snapshot ${report.snapshot.slice(0, 19)}…; the log now holds ${currentSnapshot?.slice(0, 19)}….`
            : `The log's labels resolve differently now (a relabel or repeat) from what the report measured (snapshot ${report.snapshot.slice(0, 19)}…).`,
        );
      }
      const used = evidence.run?.labels?.find((l) => l.task === task);
      if (
        evidence.run &&
        used &&
        (used.snapshot !== report.snapshot || used.resolvedSha256 !== report.resolvedSha256)
      ) {
        return fail(
          `Run \`mlfolio run ${evidence.slug}\`: the latest run read other labels than the report measured.`,
          `Run ${evidence.run.runId} read snapshot ${used.snapshot.slice(0, 19)}…, the report ${report.snapshot.slice(0, 19)}….`,
        );
      }
      const d = effect.difference;
      return pass(
        `${effect.model} on ${effect.rows} test rows (${effect.testSeasons.join(', ')}): ${effect.metric} ${effect.withLabels.toFixed(4)} with the "${effect.column}" labels, ${effect.withoutLabels.toFixed(4)} when ${effect.withoutMeans}.`,
        `Difference ${d.value.toFixed(4)} [${d.lower!.toFixed(4)}, ${d.upper!.toFixed(4)}] (95% paired bootstrap): ${effect.verdict}.`,
        ...(effect.pooled
          ? [
              `Pooled over ${effect.pooled.rows} held-out events (${effect.pooled.firstSeason}–${effect.pooled.lastSeason}): difference ${effect.pooled.difference.value.toFixed(4)} [${effect.pooled.difference.lower!.toFixed(4)}, ${effect.pooled.difference.upper!.toFixed(4)}]: ${effect.pooled.verdict}.`,
            ]
          : []),
        used
          ? `The latest run read the same snapshot (${used.snapshot.slice(0, 19)}…).`
          : 'No run has read the labels yet.',
      );
    }),
};
