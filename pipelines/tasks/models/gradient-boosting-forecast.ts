/**
 * The forward pass of gradient-boosted trees (see gradient-boosting.ts for the artifact and
 * gradient-boosting-fit.ts for training). Browser-safe: only types come from the model file, whose
 * zod schemas must stay out of the demo's bundle.
 */
import type { Forecast } from '../task.ts';
import { checkRow } from './forecast-row.ts';
import type { BoostedTree, GradientBoostingArtifact } from './gradient-boosting.ts';

/** Row `x` (in `artifact.featureNames` order) through one tree. */
export function boostedTreeValue(tree: BoostedTree, x: readonly number[]): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = x[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return tree.value[node]!;
}

/** The ensemble's raw scores for one row, before the link. */
export function rawScores(artifact: GradientBoostingArtifact, row: readonly number[]): number[] {
  const raw = [...artifact.init];
  for (const round of artifact.trees) {
    for (let k = 0; k < round.length; k++) raw[k]! += boostedTreeValue(round[k]!, row);
  }
  return raw;
}

/** One row's forecast: probabilities, a Gaussian (regression) or a Poisson mean (count). */
export function forecastGradientBoosting(
  artifact: GradientBoostingArtifact,
  row: readonly number[],
): Forecast {
  checkRow(artifact.featureNames, row);
  const raw = rawScores(artifact, row);
  switch (artifact.task.kind) {
    case 'binary': {
      const p = logistic(raw[0]!);
      return { kind: 'probabilities', p: [1 - p, p] };
    }
    case 'multiclass':
      return { kind: 'probabilities', p: softmax(raw) };
    case 'ordinal': {
      if (!artifact.thresholds) return { kind: 'probabilities', p: softmax(raw) };
      // P(y = k) = σ(θ_k − f) − σ(θ_{k−1} − f), with σ(θ_{−1} − f) = 0 and σ(θ_{K−1} − f) = 1.
      const f = raw[0]!;
      const p: number[] = [];
      let below = 0;
      for (const cut of artifact.thresholds) {
        const cumulative = logistic(cut - f);
        p.push(Math.max(cumulative - below, 0));
        below = cumulative;
      }
      p.push(1 - below);
      return { kind: 'probabilities', p };
    }
    case 'regression':
      return { kind: 'gaussian', mean: raw[0]!, sd: artifact.sd! };
    case 'count':
      return { kind: 'poisson', mean: Math.exp(raw[0]!) };
  }
}

function logistic(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function softmax(raw: readonly number[]): number[] {
  const max = Math.max(...raw);
  const exps = raw.map((v) => Math.exp(v - max));
  const total = exps.reduce((a, b) => a + b, 0);
  return exps.map((v) => v / total);
}
