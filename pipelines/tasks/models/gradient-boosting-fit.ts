import { MlfolioError } from '../../../portfolio/errors.ts';
import { seededRandom } from '../../random.ts';
import type { Task, TrainingSet } from '../task.ts';
import { type BoostingLoss, boostingLossFor } from './boosting-loss.ts';
import { binColumns } from './feature-bins.ts';
import {
  type BoostedTree,
  type GradientBoostingArtifact,
  type GradientBoostingParams,
  type GradientBoostingParamsInput,
  gradientBoostingParamsSchema,
} from './gradient-boosting.ts';
import { boostedTreeValue } from './gradient-boosting-forecast.ts';
import { type GrownTree, HistogramTreeGrower, leafOfBinnedRow, type TreeGrowth } from './histogram-tree.ts';
import { plainTask } from './task-schema.ts';
import { checkTrainingSet } from './training-set.ts';

/**
 * Fits gradient-boosted trees with the task's loss, after LightGBM and scikit-learn's
 * HistGradientBoosting: features cut once into quantile bins (from the training rows only), each
 * round's trees grown best-first on histograms of gradients and Hessians with Newton leaf values
 * and an L2 penalty, on a seeded row subsample. The same inputs and seed give the same artifact.
 *
 * Regression holds back the latest `heldBackFraction` of the rows: the Gaussian sd is the root mean
 * square of the residuals there (out-of-sample, so it does not shrink as trees overfit), then the
 * model is refitted on every row unless `refit` is false. Any task may also stop early on that tail.
 */
export function fitGradientBoosting(
  task: Task,
  data: TrainingSet,
  params: GradientBoostingParamsInput,
  seed: number,
): GradientBoostingArtifact {
  const options = gradientBoostingParamsSchema.parse(params);
  checkTrainingSet(task, data, 'gradient-boosting', { minRows: 2, needsFeatures: true });
  const makeLoss = () => boostingLossFor(task, options.ordinalLoss);
  const lossName = makeLoss().name;
  const n = data.rows.length;
  const holdOut = task.kind === 'regression' || options.earlyStoppingRounds > 0;
  const base = {
    kind: 'gradient-boosting' as const,
    task: plainTask(task),
    featureNames: [...data.featureNames],
  };

  if (!holdOut) {
    const fit = boost(makeLoss(), data, 0, n, undefined, options, options.rounds, seed);
    return {
      ...base,
      init: [...fit.init],
      ...(fit.thresholds ? { thresholds: fit.thresholds } : {}),
      trees: fit.trees,
      training: { loss: lossName, rows: n, heldBackRows: 0, rounds: fit.trees.length, refit: false },
    };
  }
  const heldBack = Math.round(n * options.heldBackFraction);
  const head = n - heldBack;
  if (heldBack < 2 || head < 2) {
    throw new MlfolioError({
      code: 'E_TRAINING_SET_TOO_SMALL',
      message: `gradient-boosting: holding back ${options.heldBackFraction} of ${n} rows leaves ${head} to train and ${heldBack} to ${task.kind === 'regression' ? 'measure the predictive sd' : 'stop early'}; each needs at least 2.`,
      hint: 'Train on more rows, raise heldBackFraction, or (classification, count) set earlyStoppingRounds to 0.',
    });
  }
  const first = boost(makeLoss(), data, 0, head, { start: head, end: n }, options, options.rounds, seed);
  const final = options.refit
    ? boost(makeLoss(), data, 0, n, undefined, options, first.trees.length, seed)
    : first;
  return {
    ...base,
    init: [...final.init],
    ...(final.thresholds ? { thresholds: final.thresholds } : {}),
    trees: final.trees,
    ...(task.kind === 'regression' ? { sd: Math.max(Math.sqrt(2 * first.heldBackLoss), 1e-9) } : {}),
    training: {
      loss: lossName,
      rows: n,
      heldBackRows: heldBack,
      rounds: final.trees.length,
      refit: options.refit,
    },
  };
}

interface BoostResult {
  init: Float64Array;
  trees: BoostedTree[][];
  /** Mean loss on the held-back rows at the kept round (NaN without them). */
  heldBackLoss: number;
  /** The cumulative logit's cut points after the last round. */
  thresholds: number[] | undefined;
}

/**
 * Boosts on rows [start, end) of `data`, scoring `validation` rows after every round when given
 * (and stopping early when the options ask). Returns the rounds up to the best validation loss.
 */
function boost(
  loss: BoostingLoss,
  data: TrainingSet,
  start: number,
  end: number,
  validation: { start: number; end: number } | undefined,
  options: GradientBoostingParams,
  rounds: number,
  seed: number,
): BoostResult {
  const n = end - start;
  const d = data.featureNames.length;
  const K = loss.outputs;
  const columns = Array.from({ length: d }, () => new Float64Array(n));
  const outcomes = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = data.rows[start + i]!;
    for (let j = 0; j < d; j++) columns[j]![i] = row[j]!;
    outcomes[i] = data.outcomes[start + i]!;
  }
  const binned = binColumns(columns, options.bins);
  const grower = new HistogramTreeGrower(binned);
  const growth: TreeGrowth = {
    maxLeaves: options.maxLeaves,
    maxDepth: options.maxDepth ?? Number.POSITIVE_INFINITY,
    minLeafRows: options.minLeafRows,
    l2: options.l2,
    learningRate: options.learningRate,
  };
  const init = loss.init(outcomes);
  const raw = new Float64Array(n * K);
  for (let i = 0; i < n; i++) raw.set(init, i * K);
  const gradient = new Float64Array(n * K);
  const hessian = new Float64Array(n * K);
  const gradientK = K === 1 ? gradient : new Float64Array(n);
  const hessianK = K === 1 ? hessian : new Float64Array(n);

  const random = seededRandom(seed);
  const sampleSize = Math.max(1, Math.round(options.subsample * n));
  const subsampling = sampleSize < n;
  const permutation = Uint32Array.from({ length: n }, (_, i) => i);
  const sample = new Uint32Array(sampleSize);
  const rows = new Uint32Array(sampleSize);
  const inSample = new Uint8Array(n);
  if (!subsampling) sample.set(permutation);

  const v = validation ? validation.end - validation.start : 0;
  const validationRaw = new Float64Array(v * K);
  for (let i = 0; i < v; i++) validationRaw.set(init, i * K);
  const validationLoss = (): number => {
    let total = 0;
    for (let i = 0; i < v; i++)
      total += loss.rowLoss(validationRaw, i, data.outcomes[validation!.start + i]!);
    return total / v;
  };
  let bestLoss = v > 0 ? validationLoss() : Number.NaN;
  let bestRounds = 0;

  const trees: BoostedTree[][] = [];
  for (let round = 0; round < rounds; round++) {
    loss.gradients(raw, outcomes, gradient, hessian);
    if (subsampling) drawSample(permutation, sample, inSample, random);
    const roundTrees: BoostedTree[] = [];
    for (let k = 0; k < K; k++) {
      if (K > 1) {
        for (let i = 0; i < n; i++) {
          gradientK[i] = gradient[i * K + k]!;
          hessianK[i] = hessian[i * K + k]!;
        }
      }
      rows.set(sample);
      const tree = grower.grow(rows, gradientK, hessianK, growth);
      for (const leaf of tree.leaves) {
        const value = tree.value[leaf.node]!;
        for (let r = leaf.start; r < leaf.end; r++) raw[rows[r]! * K + k]! += value;
      }
      if (subsampling) {
        for (let i = 0; i < n; i++) {
          if (!inSample[i]) raw[i * K + k]! += tree.value[leafOfBinnedRow(tree, binned.bins, i)]!;
        }
      }
      const stored = storedTree(tree);
      for (let i = 0; i < v; i++)
        validationRaw[i * K + k]! += boostedTreeValue(stored, data.rows[validation!.start + i]!);
      roundTrees.push(stored);
    }
    trees.push(roundTrees);
    loss.afterRound?.(raw, outcomes);
    if (v > 0) {
      const current = validationLoss();
      // As scikit-learn's tol: an improvement smaller than 1e-7 does not count.
      if (current < bestLoss - 1e-7) {
        bestLoss = current;
        bestRounds = round + 1;
      } else if (options.earlyStoppingRounds > 0 && round + 1 - bestRounds >= options.earlyStoppingRounds) {
        break;
      }
    }
  }
  if (v === 0 || options.earlyStoppingRounds === 0) {
    return {
      init,
      trees,
      heldBackLoss: v > 0 ? validationLoss() : Number.NaN,
      thresholds: loss.thresholds?.(),
    };
  }
  // Early stopping keeps the best rounds; the cut points are those after the last round run, a
  // slight mismatch that the refit (the default) removes.
  return { init, trees: trees.slice(0, bestRounds), heldBackLoss: bestLoss, thresholds: loss.thresholds?.() };
}

/** Draws `sample.length` distinct rows (partial Fisher–Yates), sorted for memory locality. */
function drawSample(
  permutation: Uint32Array,
  sample: Uint32Array,
  inSample: Uint8Array,
  random: () => number,
): void {
  const n = permutation.length;
  for (let s = 0; s < sample.length; s++) {
    const pick = s + Math.floor(random() * (n - s));
    const chosen = permutation[pick]!;
    permutation[pick] = permutation[s]!;
    permutation[s] = chosen;
    sample[s] = chosen;
  }
  sample.sort();
  inSample.fill(0);
  for (const i of sample) inSample[i] = 1;
}

function storedTree(tree: GrownTree): BoostedTree {
  return {
    feature: tree.feature,
    threshold: tree.threshold,
    left: tree.left,
    right: tree.right,
    value: tree.value,
  };
}
