import type { ModelArtifact } from './artifact.ts';
import { applyStandardisation, matrixOf, standardisationOf, type TrainingData } from './training-data.ts';

/**
 * Multinomial logistic regression fitted by Newton's method with step halving: minimises the mean
 * cross-entropy plus `l2` × the sum of squared weights (biases unpenalised) on standardised
 * features — the same objective as the TensorFlow.js path, solved to convergence in a few
 * iterations instead of hundreds of gradient steps. Deterministic; no tensors.
 */
export function fitLogisticRegression(
  data: TrainingData,
  options: { l2: number; maxIterations?: number; tolerance?: number },
): ModelArtifact {
  const raw = matrixOf(data);
  const standardisation = standardisationOf(raw);
  const x = applyStandardisation(raw, standardisation);
  const n = x.length;
  const d = data.featureNames.length;
  const classes = 3;
  const width = d + 1; // features, then the bias
  const size = width * classes;
  const at = (j: number, k: number) => k * width + j;
  let theta = new Float64Array(size);
  const row = (i: number, j: number) => (j === d ? 1 : x[i]![j]!);

  const probabilitiesOf = (params: Float64Array) =>
    x.map((_, i) => {
      const logits = Array.from({ length: classes }, (_, k) => {
        let z = 0;
        for (let j = 0; j <= d; j++) z += row(i, j) * params[at(j, k)]!;
        return z;
      });
      const max = Math.max(...logits);
      const exps = logits.map((z) => Math.exp(z - max));
      const total = exps.reduce((a, b) => a + b, 0);
      return exps.map((e) => e / total);
    });
  const objective = (params: Float64Array) => {
    const p = probabilitiesOf(params);
    let loss = 0;
    for (let i = 0; i < n; i++) loss -= Math.log(Math.max(1e-300, p[i]![data.outcomes[i]!]!));
    let penalty = 0;
    for (let k = 0; k < classes; k++) for (let j = 0; j < d; j++) penalty += params[at(j, k)]! ** 2;
    return loss / n + options.l2 * penalty;
  };

  let current = objective(theta);
  for (let iteration = 0; iteration < (options.maxIterations ?? 50); iteration++) {
    const p = probabilitiesOf(theta);
    const gradient = new Float64Array(size);
    const hessian = Array.from({ length: size }, () => new Float64Array(size));
    for (let i = 0; i < n; i++) {
      const pi = p[i]!;
      for (let k = 0; k < classes; k++) {
        const residual = pi[k]! - (data.outcomes[i] === k ? 1 : 0);
        for (let j = 0; j <= d; j++) gradient[at(j, k)]! += (row(i, j) * residual) / n;
        for (let k2 = 0; k2 < classes; k2++) {
          const w = (pi[k]! * ((k === k2 ? 1 : 0) - pi[k2]!)) / n;
          if (w === 0) continue;
          for (let j = 0; j <= d; j++) {
            const xij = row(i, j) * w;
            const target = hessian[at(j, k)]!;
            for (let j2 = 0; j2 <= d; j2++) target[at(j2, k2)]! += xij * row(i, j2);
          }
        }
      }
    }
    for (let k = 0; k < classes; k++) {
      for (let j = 0; j < d; j++) {
        gradient[at(j, k)]! += 2 * options.l2 * theta[at(j, k)]!;
        hessian[at(j, k)]![at(j, k)]! += 2 * options.l2;
      }
    }
    // A small ridge: the softmax is unchanged by adding one constant to every class's bias.
    for (let a = 0; a < size; a++) hessian[a]![a]! += 1e-9;
    const step = solve(hessian, gradient);
    let scale = 1;
    let next = theta;
    let value = current;
    for (let halving = 0; halving < 30; halving++) {
      next = theta.map((t, a) => t - scale * step[a]!);
      value = objective(next);
      if (value <= current) break;
      scale /= 2;
    }
    const improvement = current - value;
    theta = next;
    current = value;
    if (improvement < (options.tolerance ?? 1e-12)) break;
  }
  return {
    kind: 'logistic-regression',
    featureNames: [...data.featureNames],
    standardisation,
    weights: Array.from({ length: d }, (_, j) => Array.from({ length: classes }, (_, k) => theta[at(j, k)]!)),
    bias: Array.from({ length: classes }, (_, k) => theta[at(d, k)]!),
  };
}

/** Solves A·x = b for a symmetric positive-definite A by Gaussian elimination with partial pivoting. */
function solve(matrix: readonly Float64Array[], vector: Float64Array): Float64Array {
  const n = vector.length;
  const a = matrix.map((r) => Float64Array.from(r));
  const b = Float64Array.from(vector);
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[pivot]![c]!)) pivot = r;
    [a[c], a[pivot]] = [a[pivot]!, a[c]!];
    [b[c], b[pivot]] = [b[pivot]!, b[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      if (f === 0) continue;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
      b[r]! -= f * b[c]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let k = r + 1; k < n; k++) s -= a[r]![k]! * x[k]!;
    x[r] = s / a[r]![r]!;
  }
  return x;
}
