import type { ModelArtifact } from './artifact.ts';
import type { TrainingData } from './training-data.ts';

/** Predicts the training seasons' outcome frequencies for every match. */
export function fitPrior(data: TrainingData): ModelArtifact {
  const counts = [0, 0, 0];
  for (const outcome of data.outcomes) counts[outcome]!++;
  return { kind: 'prior', probabilities: counts.map((count) => count / data.outcomes.length) };
}

/**
 * An ordered-logit model on the pre-match Elo difference alone: one slope and two thresholds,
 * fitted by maximum likelihood (full-batch gradient descent with Adam steps; the problem is convex).
 */
export function fitEloBaseline(data: TrainingData, iterations = 1500): ModelArtifact {
  const scale = 100;
  const d = data.rows.map((row) => row.elo_diff! / scale);
  const y = data.outcomes;
  // Parameters: slope a, first threshold t1, log gap g (t2 = t1 + e^g keeps the thresholds ordered).
  let params = [0.3, -1, 0];
  const m = [0, 0, 0];
  const v = [0, 0, 0];
  const rate = 0.05;
  for (let step = 1; step <= iterations; step++) {
    const [a, t1, g] = params as [number, number, number];
    const t2 = t1 + Math.exp(g);
    const grad = [0, 0, 0];
    for (let i = 0; i < d.length; i++) {
      const s1 = sigmoid(t1 - a * d[i]!);
      const s2 = sigmoid(t2 - a * d[i]!);
      let du1 = 0;
      let du2 = 0;
      if (y[i] === 2) du1 = -(1 - s1);
      else if (y[i] === 0) du2 = s2;
      else {
        const pd = Math.max(1e-12, s2 - s1);
        du1 = (s1 * (1 - s1)) / pd;
        du2 = (-s2 * (1 - s2)) / pd;
      }
      grad[0]! += -d[i]! * (du1 + du2);
      grad[1]! += du1 + du2;
      grad[2]! += du2 * Math.exp(g);
    }
    params = params.map((p, k) => {
      const gk = grad[k]! / d.length;
      m[k] = 0.9 * m[k]! + 0.1 * gk;
      v[k] = 0.999 * v[k]! + 0.001 * gk * gk;
      const mHat = m[k]! / (1 - 0.9 ** step);
      const vHat = v[k]! / (1 - 0.999 ** step);
      return p - (rate * mHat) / (Math.sqrt(vHat) + 1e-8);
    });
  }
  const [a, t1, g] = params as [number, number, number];
  return { kind: 'elo', featureNames: ['elo_diff'], scale, slope: a, thresholds: [t1, t1 + Math.exp(g)] };
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}
