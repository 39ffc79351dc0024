import {
  bootstrapInterval,
  cohenKappa,
  fleissKappa,
  type Interval,
  krippendorffAlpha,
  percentAgreement,
  type Rating,
  type Units,
} from './agreement.ts';
import type { LabelRecord, LabelValue } from './label-log.ts';

/** The quality of a task's labels: agreement between annotators, with itself, and on gold items. */
export interface QualityReport {
  annotators: string[];
  /** Items with two or more annotators' current labels. */
  overlapItems: number;
  percentAgreement?: Interval;
  /** Only with exactly two annotators. */
  cohenKappa?: Interval;
  /** Over items every annotator labelled, when there are two or more annotators. */
  fleissKappa?: Interval;
  krippendorffAlphaNominal?: Interval;
  krippendorffAlphaOrdinal?: Interval;
  /** Intra-annotator: a label against the same annotator's self-overlap repeat of the item. */
  selfAgreement: { pairs: number; percentAgreement?: Interval; cohenKappa?: Interval };
  /** Per annotator, gold items labelled and the share labelled as the gold label says. */
  gold: Record<string, { items: number; accuracy: number }>;
}

export interface QualityOptions {
  /** Classes from lowest to highest, for ordinal α (only when the classes are ordered). */
  order?: readonly string[];
  gold?: readonly { item: string; label: LabelValue }[];
  resamples?: number;
  seed?: number;
}

/** Agreement of the standing labels (the log's labels not undone), with 95% bootstrap intervals over items. */
export function qualityReport(standing: readonly LabelRecord[], options: QualityOptions = {}): QualityReport {
  const boot = (units: Units, statistic: (u: Units) => number): Interval | undefined => {
    if (units.length < 2) return undefined;
    const interval = bootstrapInterval(units, statistic, {
      resamples: options.resamples ?? 1000,
      seed: options.seed ?? 1,
    });
    return Number.isFinite(interval.estimate) ? interval : undefined;
  };
  const primary = standing.filter((l) => l.round !== 'self-overlap');
  const current = new Map<string, LabelRecord>();
  for (const label of primary) current.set(`${label.item}\u0000${label.annotator}`, label);
  const annotators = [...new Set([...current.values()].map((l) => l.annotator))].sort();
  const byItem = new Map<string, Rating[]>();
  for (const label of current.values()) {
    const row = byItem.get(label.item) ?? Array<Rating>(annotators.length).fill(null);
    row[annotators.indexOf(label.annotator)] = valueKey(label.label);
    byItem.set(label.item, row);
  }
  const units = [...byItem.values()].filter((row) => row.filter((v) => v !== null).length >= 2);
  const report: QualityReport = {
    annotators,
    overlapItems: units.length,
    selfAgreement: { pairs: 0 },
    gold: {},
  };
  if (units.length >= 2) {
    report.percentAgreement = boot(units, percentAgreement);
    report.krippendorffAlphaNominal = boot(units, (u) => krippendorffAlpha(u, { level: 'nominal' }));
    if (options.order) {
      const order = options.order;
      report.krippendorffAlphaOrdinal = boot(units, (u) => krippendorffAlpha(u, { level: 'ordinal', order }));
    }
    if (annotators.length === 2)
      report.cohenKappa = boot(units, (u) =>
        cohenKappa(
          u.map((r) => r[0]!),
          u.map((r) => r[1]!),
        ),
      );
    const complete = units.filter((row) => row.every((v) => v !== null));
    if (complete.length >= 2) report.fleissKappa = boot(complete, fleissKappa);
  }
  const firsts = new Map<string, LabelRecord>();
  for (const label of primary)
    if (!firsts.has(`${label.item}\u0000${label.annotator}`))
      firsts.set(`${label.item}\u0000${label.annotator}`, label);
  const selfPairs: Rating[][] = [];
  for (const repeat of standing.filter((l) => l.round === 'self-overlap')) {
    const first = firsts.get(`${repeat.item}\u0000${repeat.annotator}`);
    if (first) selfPairs.push([valueKey(first.label), valueKey(repeat.label)]);
  }
  report.selfAgreement = {
    pairs: selfPairs.length,
    ...(selfPairs.length >= 2
      ? {
          percentAgreement: boot(selfPairs, percentAgreement),
          cohenKappa: boot(selfPairs, (u) =>
            cohenKappa(
              u.map((r) => r[0]!),
              u.map((r) => r[1]!),
            ),
          ),
        }
      : {}),
  };
  const gold = new Map((options.gold ?? []).map((g) => [g.item, valueKey(g.label)]));
  for (const label of current.values()) {
    const truth = gold.get(label.item);
    if (truth === undefined) continue;
    const entry = report.gold[label.annotator] ?? { items: 0, accuracy: 0 };
    report.gold[label.annotator] = entry;
    entry.accuracy =
      (entry.accuracy * entry.items + (valueKey(label.label) === truth ? 1 : 0)) / (entry.items + 1);
    entry.items++;
  }
  return report;
}

// A multi-label value counts as one nominal category: the set of its classes.
function valueKey(label: LabelValue): string {
  return Array.isArray(label) ? [...label].sort().join('|') : label;
}
