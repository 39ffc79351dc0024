/**
 * A small multinomial logistic regression (full-batch gradient descent, L2), enough to produce
 * out-of-fold probabilities for the label audit's tests.
 */
export function fitLogistic(
  x: readonly number[][],
  y: readonly number[],
  classes: number,
  epochs = 1000,
  rate = 1,
  l2 = 1e-4,
) {
  const d = x[0]!.length + 1;
  const w = Array.from({ length: classes }, () => new Float64Array(d));
  for (let epoch = 0; epoch < epochs; epoch++) {
    const grad = Array.from({ length: classes }, () => new Float64Array(d));
    for (let i = 0; i < x.length; i++) {
      const p = predict(w, x[i]!);
      for (let c = 0; c < classes; c++) {
        const g = p[c]! - (y[i] === c ? 1 : 0);
        for (let j = 0; j < d - 1; j++) grad[c]![j]! += g * x[i]![j]!;
        grad[c]![d - 1]! += g;
      }
    }
    for (let c = 0; c < classes; c++)
      for (let j = 0; j < d; j++) w[c]![j]! -= rate * (grad[c]![j]! / x.length + l2 * w[c]![j]!);
  }
  return (row: readonly number[]) => predict(w, row);
}

function predict(w: Float64Array[], row: readonly number[]): number[] {
  const scores = w.map((wc) => row.reduce((s, v, j) => s + v * wc[j]!, wc[row.length]!));
  const max = Math.max(...scores);
  const exp = scores.map((s) => Math.exp(s - max));
  const total = exp.reduce((a, b) => a + b, 0);
  return exp.map((e) => e / total);
}

/** Out-of-fold probabilities: fold f holds rows i with i % folds === f. */
export function outOfFold(
  x: readonly number[][],
  y: readonly number[],
  classes: number,
  folds = 5,
): number[][] {
  const out: number[][] = new Array(x.length);
  for (let f = 0; f < folds; f++) {
    const train = x.flatMap((_, i) => (i % folds === f ? [] : [i]));
    const model = fitLogistic(
      train.map((i) => x[i]!),
      train.map((i) => y[i]!),
      classes,
    );
    for (let i = f; i < x.length; i += folds) out[i] = model(x[i]!);
  }
  return out;
}
