import { MlfolioError } from '../portfolio/errors.ts';

/** A label the audit suspects is wrong. */
export interface SuspectLabel {
  /** Row of the input. */
  index: number;
  given: number;
  /** The class the model believes instead. */
  suggested: number;
  /** Predicted probability of the given label: lowest is most suspect. */
  selfConfidence: number;
}

export interface ConfidentLearningResult {
  /** Per class, the mean predicted probability of that class over examples labelled with it. */
  thresholds: number[];
  /** Counts of (given label, confidently believed class); rows are given labels. */
  confidentJoint: number[][];
  /** The confident joint calibrated to the label counts and normalised: an estimate of P(given, true). */
  joint: number[][];
  /** Suspect labels, most suspect (lowest self-confidence) first. */
  suspects: SuspectLabel[];
}

/**
 * A label-error audit by confident learning (Northcutt, Jiang & Chuang, JAIR 2021) over
 * out-of-fold predicted probabilities. `prune-by-noise-rate` (the default, as in cleanlab) removes,
 * for each off-diagonal cell (i, j) of the calibrated joint, the n·Q[i][j] examples labelled i
 * with the largest margin p_j − p_i; `confident-joint` takes the off-diagonal examples of the
 * confident joint itself.
 */
export function confidentLearning(
  labels: readonly number[],
  probabilities: readonly (readonly number[])[],
  options: { method?: 'prune-by-noise-rate' | 'confident-joint' } = {},
): ConfidentLearningResult {
  const n = labels.length;
  const k = probabilities[0]?.length ?? 0;
  if (n !== probabilities.length || n === 0 || k < 2) {
    throw new MlfolioError({
      code: 'E_LABEL_AUDIT_INPUT',
      message: `The label audit needs one probability row (of two or more classes) per label: received ${n} labels and ${probabilities.length} rows of ${k}.`,
      hint: 'Pass the out-of-fold predicted probabilities of every labelled item, in the same order.',
    });
  }
  const sums = new Float64Array(k);
  const counts = new Float64Array(k);
  labels.forEach((y, i) => {
    sums[y]! += probabilities[i]![y]!;
    counts[y]!++;
  });
  const thresholds = Array.from(sums, (s, j) => (counts[j] ? s / counts[j]! : 1));
  const confidentJoint = Array.from({ length: k }, () => Array<number>(k).fill(0));
  const believed = new Int32Array(n).fill(-1);
  labels.forEach((y, i) => {
    const p = probabilities[i]!;
    let best = -1;
    for (let j = 0; j < k; j++) if (p[j]! >= thresholds[j]! && (best === -1 || p[j]! > p[best]!)) best = j;
    if (best === -1) return;
    believed[i] = best;
    confidentJoint[y]![best]!++;
  });
  // Calibrate each row to the number of examples with that label, then normalise to a joint.
  const calibrated = confidentJoint.map((row, i) => {
    const total = row.reduce((s, v) => s + v, 0);
    return row.map((v) => (total ? (v / total) * counts[i]! : 0));
  });
  const grand = calibrated.flat().reduce((s, v) => s + v, 0);
  const joint = calibrated.map((row) => row.map((v) => v / grand));
  const flagged = new Map<number, number>();
  if (options.method === 'confident-joint') {
    labels.forEach((y, i) => {
      if (believed[i]! >= 0 && believed[i] !== y) flagged.set(i, believed[i]!);
    });
  } else {
    for (let given = 0; given < k; given++) {
      const members = labels.flatMap((y, i) => (y === given ? [i] : []));
      for (let other = 0; other < k; other++) {
        if (other === given) continue;
        const remove = Math.round(joint[given]![other]! * n);
        if (remove <= 0) continue;
        const ranked = members
          .map((i) => ({ i, margin: probabilities[i]![other]! - probabilities[i]![given]! }))
          .sort((a, b) => b.margin - a.margin || a.i - b.i);
        for (const { i } of ranked.slice(0, remove)) if (!flagged.has(i)) flagged.set(i, other);
      }
    }
  }
  const suspects = [...flagged.entries()]
    .map(([index, suggested]) => ({
      index,
      given: labels[index]!,
      suggested: argmax(probabilities[index]!, labels[index]!) ?? suggested,
      selfConfidence: probabilities[index]![labels[index]!]!,
    }))
    .sort((a, b) => a.selfConfidence - b.selfConfidence || a.index - b.index);
  return { thresholds, confidentJoint, joint, suspects };
}

/** The most probable class other than `except`. */
function argmax(p: readonly number[], except: number): number | undefined {
  let best: number | undefined;
  for (let j = 0; j < p.length; j++) if (j !== except && (best === undefined || p[j]! > p[best]!)) best = j;
  return best;
}

/** What relabelling the suspects showed: how many were relabelled and the share whose label changed. */
export interface RelabelOutcome {
  suspects: number;
  relabelled: number;
  /** Relabelled suspects whose new label differs from the one given: errors confirmed. */
  confirmed: number;
  confirmedShare: number;
}

/**
 * Compares suspects' given labels with their relabels (by item id). A suspect not yet relabelled
 * is counted as pending, not as confirmed or refuted.
 */
export function relabelOutcome(
  suspects: readonly { item: string; given: string }[],
  relabels: ReadonlyMap<string, string>,
): RelabelOutcome {
  let relabelled = 0;
  let confirmed = 0;
  for (const suspect of suspects) {
    const relabel = relabels.get(suspect.item);
    if (relabel === undefined) continue;
    relabelled++;
    if (relabel !== suspect.given) confirmed++;
  }
  return {
    suspects: suspects.length,
    relabelled,
    confirmed,
    confirmedShare: relabelled ? confirmed / relabelled : Number.NaN,
  };
}
