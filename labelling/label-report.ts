import { join } from 'node:path';
import { type LabelEffect, measureLabelEffects } from '../pipelines/engine/label-effect.ts';
import { bootstrapMean } from '../pipelines/evaluation/bootstrap.ts';
import type { Estimate } from '../pipelines/runs/run-record.ts';
import { writeJsonAtomic } from '../portfolio/atomic-write.ts';
import type { LoadedProject } from '../portfolio/project-file/load.ts';
import { projectPaths, type Workspace } from '../portfolio/workspace.ts';
import { confidentLearning, type RelabelOutcome, relabelOutcome } from './confident-learning.ts';
import { type QualityReport, qualityReport } from './label-quality.ts';
import {
  applyLabellingFunctions,
  type LabellingFunctionStats,
  labellingFunctionTable,
} from './labelling-functions.ts';
import type { Task } from './load-task.ts';
import { isLabellingFunction, readLabelSnapshot, resolvedHash } from './project-task.ts';
import { buildQueue } from './queue.ts';
import { seededRandom, shuffled } from './seeded-random.ts';
import { fitTokenClassifier } from './token-classifier.ts';
import { uncertainty } from './uncertainty.ts';

/** What a task's labels are and what they were worth: the record the site's labels card reads. */
export interface LabelReport {
  schemaVersion: 1;
  project: string;
  task: string;
  title: string;
  guidelinesVersion: string;
  createdAt: string;
  /** Content hash of the current labels the report measured. */
  snapshot: string;
  /** sha256 of the one label per item resolved from it (what a label join reads). */
  resolvedSha256: string;
  log: string;
  items: number;
  /** Items with a resolved label, and who settled them. */
  labelled: { items: number; byAnnotator: number; byLabellingFunction: number };
  /** Every annotator (person, AI agent or labelling function) with its current labels. */
  annotators: { id: string; kind: 'person' | 'ai-agent' | 'labelling-function'; labels: number }[];
  classCounts: Record<string, number>;
  /** Agreement of the non-function annotators (self-overlap repeats included) and gold accuracy of everyone. */
  quality: QualityReport;
  labellingFunctions: LabellingFunctionStats[];
  /** Confident learning over out-of-fold probabilities of the item model. */
  audit: {
    model: string;
    folds: number;
    labels: number;
    suspects: { item: string; given: string; suggested: string; selfConfidence: number; by: string[] }[];
    /** Suspect items to relabel, most suspect first. */
    relabelQueue: string[];
    /** Items relabelled so far (round `relabel`), and the share whose label the relabel changed: errors confirmed. */
    relabelled: RelabelOutcome & { changes: { item: string; from: string; to: string; annotator: string }[] };
  };
  /** Item-model accuracy on the random evaluation slice against number of labels, random vs least-confidence. */
  learningCurve: {
    model: string;
    evaluationItems: number;
    seeds: number;
    batch: number;
    points: { labels: number; random: Estimate; active: Estimate; activeMinusRandom: Estimate }[];
  };
  effects: LabelEffect[];
  summary: string[];
}

const model = 'multinomial naive Bayes on the words of the item (Laplace smoothing)';

/**
 * Measures a project task's labels (see {@link LabelReport}) and writes
 * `content/projects/<slug>/labels/<task>.report.json` atomically.
 */
export async function writeLabelReport(
  workspace: Workspace,
  project: LoadedProject,
  task: Task,
  logPath: string,
  options: { seeds?: number; now?: () => Date } = {},
): Promise<{ path: string; report: LabelReport }> {
  const report = await buildLabelReport(workspace, project, task, logPath, options);
  const path = join(
    projectPaths(workspace, project.slug).dir,
    'labels',
    `${task.declaration.name}.report.json`,
  );
  await writeJsonAtomic(path, report);
  return { path, report };
}

export async function buildLabelReport(
  workspace: Workspace,
  project: LoadedProject,
  task: Task,
  logPath: string,
  options: { seeds?: number; now?: () => Date } = {},
): Promise<LabelReport> {
  const declaration = task.declaration;
  const snapshot = readLabelSnapshot(logPath);
  const counts = new Map<string, number>();
  for (const label of snapshot.current) counts.set(label.annotator, (counts.get(label.annotator) ?? 0) + 1);
  const annotators = [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([id, labels]) => ({
      id,
      kind: isLabellingFunction(id)
        ? ('labelling-function' as const)
        : id.startsWith('ai-agent:')
          ? ('ai-agent' as const)
          : ('person' as const),
      labels,
    }));
  const gold = declaration.gold.map((g) => ({ item: g.item, label: g.label }));
  const people = snapshot.standing.filter((l) => !isLabellingFunction(l.annotator));
  const quality = qualityReport(people, { gold, seed: project.file.seed });
  // Gold accuracy of the labelling functions too: they are measured like anyone else.
  const functionGold = qualityReport(
    snapshot.standing.filter((l) => isLabellingFunction(l.annotator)),
    { gold, resamples: 100 },
  ).gold;
  quality.gold = { ...quality.gold, ...functionGold };

  const classes = task.classes;
  const labelledItems = task.items.filter((item) => snapshot.resolved.has(item.id));
  const y = labelledItems.map((item) => classes.indexOf(snapshot.resolved.get(item.id)!.label));
  const text = (id: string) => id;
  const known = new Map<number, number>();
  task.items.forEach((item, i) => {
    const resolved = snapshot.resolved.get(item.id);
    if (resolved?.by === 'annotator') known.set(i, classes.indexOf(resolved.label));
  });
  const votes = applyLabellingFunctions(task.items, declaration.labellingFunctions, classes);
  const functions = labellingFunctionTable(votes, declaration.labellingFunctions, known);

  // error audit: 5-fold out-of-fold probabilities of the item model, then confident learning
  const folds = 5;
  const order = shuffled(
    labelledItems.map((_, i) => i),
    seededRandom(project.file.seed),
  );
  const probabilities: number[][] = Array.from({ length: labelledItems.length }, () => []);
  for (let f = 0; f < folds; f++) {
    const held = new Set(order.filter((_, r) => r % folds === f));
    const train = order.filter((i) => !held.has(i));
    const fitted = fitTokenClassifier(
      train.map((i) => text(labelledItems[i]!.id)),
      train.map((i) => y[i]!),
      classes.length,
    );
    for (const i of held) probabilities[i] = fitted.probabilities(text(labelledItems[i]!.id));
  }
  const cl = confidentLearning(y, probabilities);
  const suspects = cl.suspects.map((s) => {
    const item = labelledItems[s.index]!.id;
    return {
      item,
      given: classes[s.given]!,
      suggested: classes[s.suggested]!,
      selfConfidence: round(s.selfConfidence, 4),
      by: snapshot.resolved.get(item)!.annotators,
    };
  });

  // relabels: each against the label it replaced (the same annotator's earlier label of the item)
  const earlier = new Map<string, { label: string; annotator: string }>();
  const given: { item: string; given: string }[] = [];
  const relabels = new Map<string, string>();
  const changes: LabelReport['audit']['relabelled']['changes'] = [];
  for (const record of snapshot.standing) {
    if (record.round === 'self-overlap') continue;
    const key = `${record.item}\u0000${record.annotator}`;
    const before = earlier.get(key);
    if (record.round === 'relabel' && before) {
      given.push({ item: record.item, given: before.label });
      relabels.set(record.item, String(record.label));
      if (before.label !== String(record.label))
        changes.push({
          item: record.item,
          from: before.label,
          to: String(record.label),
          annotator: record.annotator,
        });
    }
    earlier.set(key, { label: String(record.label), annotator: record.annotator });
  }
  const relabelled = { ...relabelOutcome(given, relabels), changes };

  // learning curves on the random evaluation slice, random against least-confidence sampling
  const queue = buildQueue({
    items: task.items,
    // The evaluation slice is drawn by the seed alone, whatever the strategy.
    sampling: { ...declaration.sampling, strategy: 'random' },
    gold: new Set(declaration.gold.map((g) => g.item)),
  });
  const evaluation = new Set(queue.filter((e) => e.reason === 'evaluation').map((e) => e.item));
  const evalIdx = labelledItems.flatMap((item, i) => (evaluation.has(item.id) ? [i] : []));
  const pool = labelledItems.flatMap((item, i) => (evaluation.has(item.id) ? [] : [i]));
  const seeds = options.seeds ?? 20;
  const batch = 10;
  const sizes: number[] = [];
  for (let n = batch; n < pool.length; n += batch) sizes.push(n);
  sizes.push(pool.length);
  const accuracyOf = (train: readonly number[]) => {
    const fitted = fitTokenClassifier(
      train.map((i) => text(labelledItems[i]!.id)),
      train.map((i) => y[i]!),
      classes.length,
    );
    let right = 0;
    for (const i of evalIdx) {
      const p = fitted.probabilities(text(labelledItems[i]!.id));
      if (p.indexOf(Math.max(...p)) === y[i]) right++;
    }
    return { fitted, accuracy: right / evalIdx.length };
  };
  const randomCurves: number[][] = [];
  const activeCurves: number[][] = [];
  for (let s = 0; s < seeds; s++) {
    const shuffledPool = shuffled(pool, seededRandom(1000 + s));
    randomCurves.push(sizes.map((n) => accuracyOf(shuffledPool.slice(0, n)).accuracy));
    const chosen = shuffledPool.slice(0, batch);
    const curve: number[] = [];
    for (const n of sizes) {
      while (chosen.length < n) {
        const { fitted } = accuracyOf(chosen);
        const taken = new Set(chosen);
        const ranked = pool
          .filter((i) => !taken.has(i))
          .map((i) => ({
            i,
            u: uncertainty(fitted.probabilities(text(labelledItems[i]!.id)), 'least-confidence'),
          }))
          .sort((a, b) => b.u - a.u || a.i - b.i);
        chosen.push(...ranked.slice(0, Math.min(batch, n - chosen.length)).map((r) => r.i));
      }
      curve.push(accuracyOf(chosen).accuracy);
    }
    activeCurves.push(curve);
  }
  const over = (values: number[]) => bootstrapMean(values, { seed: project.file.seed, resamples: 1000 });
  const points = sizes.map((labels, k) => ({
    labels,
    random: roundEstimate(over(randomCurves.map((c) => c[k]!))),
    active: roundEstimate(over(activeCurves.map((c) => c[k]!))),
    activeMinusRandom: roundEstimate(over(activeCurves.map((c, s) => c[k]! - randomCurves[s]![k]!))),
  }));

  const effects = await measureLabelEffects(workspace, project, { task: declaration.name });
  const classCounts = Object.fromEntries(classes.map((c) => [c, 0]));
  for (const resolved of snapshot.resolved.values()) classCounts[resolved.label]!++;
  const byAnnotator = [...snapshot.resolved.values()].filter((r) => r.by === 'annotator').length;
  const report: LabelReport = {
    schemaVersion: 1,
    project: project.slug,
    task: declaration.name,
    title: declaration.title ?? declaration.name,
    guidelinesVersion: declaration.guidelines.version,
    createdAt: (options.now ?? (() => new Date()))().toISOString(),
    snapshot: snapshot.id,
    resolvedSha256: resolvedHash(snapshot),
    log: `labels/${declaration.name}.labels.jsonl`,
    items: task.items.length,
    labelled: {
      items: snapshot.resolved.size,
      byAnnotator,
      byLabellingFunction: snapshot.resolved.size - byAnnotator,
    },
    annotators,
    classCounts,
    quality,
    labellingFunctions: functions,
    audit: {
      model,
      folds,
      labels: labelledItems.length,
      suspects,
      relabelQueue: suspects.map((s) => s.item),
      relabelled,
    },
    learningCurve: { model, evaluationItems: evalIdx.length, seeds, batch, points },
    effects,
    summary: [],
  };
  report.summary = summarise(report);
  return report;
}

function summarise(r: LabelReport): string[] {
  const pct = (v: number | undefined) => (v === undefined ? 'n/a' : `${(v * 100).toFixed(1)}%`);
  const interval = (e: { estimate: number; low: number; high: number } | undefined) =>
    e ? `${pct(e.estimate)} [${pct(e.low)}, ${pct(e.high)}]` : 'n/a';
  const lines = [
    `${r.task} (guidelines ${r.guidelinesVersion}), snapshot ${r.snapshot}: ${r.labelled.items} of ${r.items} items labelled, ${r.labelled.byAnnotator} by annotators, ${r.labelled.byLabellingFunction} by labelling functions alone.`,
    `Annotators: ${r.annotators.map((a) => `${a.id} ${a.labels}`).join(', ')}.`,
    `Self-agreement (${r.quality.selfAgreement.pairs} repeats): ${interval(r.quality.selfAgreement.percentAgreement)}, Cohen's κ ${r.quality.selfAgreement.cohenKappa ? `${r.quality.selfAgreement.cohenKappa.estimate.toFixed(3)} [${r.quality.selfAgreement.cohenKappa.low.toFixed(3)}, ${r.quality.selfAgreement.cohenKappa.high.toFixed(3)}]` : 'n/a'}.`,
    `Gold accuracy: ${Object.entries(r.quality.gold)
      .map(([a, g]) => `${a} ${pct(g.accuracy)} of ${g.items}`)
      .join(', ')}.`,
    `Error audit (${r.audit.model}, ${r.audit.folds}-fold): ${r.audit.suspects.length} suspect labels of ${r.audit.labels}${
      r.audit.suspects.length
        ? `, e.g. ${r.audit.suspects
            .slice(0, 3)
            .map((s) => `${s.item} (${s.given}, model says ${s.suggested})`)
            .join('; ')}`
        : ''
    }.${r.audit.relabelled.relabelled ? ` Relabelled ${r.audit.relabelled.relabelled}: ${r.audit.relabelled.confirmed} changed (${pct(r.audit.relabelled.confirmedShare)} confirmed as errors).` : ''}`,
  ];
  const last = r.learningCurve.points.at(-1);
  const mid = r.learningCurve.points[Math.floor(r.learningCurve.points.length / 3)];
  if (last && mid) {
    lines.push(
      `Learning curve (${r.learningCurve.evaluationItems} evaluation items, ${r.learningCurve.seeds} seeds): at ${mid.labels} labels random ${pct(mid.random.value)}, least-confidence ${pct(mid.active.value)} (difference ${pct(mid.activeMinusRandom.value)} [${pct(mid.activeMinusRandom.lower)}, ${pct(mid.activeMinusRandom.upper)}]); at ${last.labels} labels ${pct(last.random.value)}.`,
    );
  }
  for (const e of r.effects) {
    lines.push(
      `Effect on ${e.model} (${e.metric}, ${e.rows} test rows, ${e.testSeasons.join(', ')}): with labels ${e.withLabels.toFixed(4)}, without (${e.withoutMeans}) ${e.withoutLabels.toFixed(4)}; difference ${e.difference.value.toFixed(4)} [${e.difference.lower?.toFixed(4)}, ${e.difference.upper?.toFixed(4)}]: ${e.verdict}.`,
    );
    const p = e.pooled;
    if (p) {
      lines.push(
        `Effect on ${e.model} pooled over ${p.rows} held-out events (${p.seasons} seasons, ${p.firstSeason}–${p.lastSeason}, ${p.periods} fits per arm): with labels ${p.withLabels.toFixed(4)}, without ${p.withoutLabels.toFixed(4)}; difference ${p.difference.value.toFixed(4)} [${p.difference.lower?.toFixed(4)}, ${p.difference.upper?.toFixed(4)}]: ${p.verdict}.`,
      );
    }
  }
  return lines;
}

const round = (value: number, digits: number) => Number(value.toFixed(digits));
function roundEstimate(e: Estimate): Estimate {
  return {
    value: round(e.value, 4),
    ...(e.lower === undefined ? {} : { lower: round(e.lower, 4) }),
    ...(e.upper === undefined ? {} : { upper: round(e.upper, 4) }),
  };
}
