import type { MetricName } from '../../portfolio/project-spec.ts';

/** A probability forecast over ordered outcome classes, one row per example. */
export type Probabilities = readonly (readonly number[])[];

/** Probabilities are clipped to [ε, 1] before taking logs so one confident miss cannot make log loss infinite. */
export const logLossEpsilon = 1e-15;

/** Share of rows whose most probable class (first one on ties) is the outcome. */
export function accuracy(probabilities: Probabilities, outcomes: readonly number[]): number {
  return meanOver(outcomes, (i) => (argmax(probabilities[i]!) === outcomes[i] ? 1 : 0));
}

/** Mean negative natural log of the probability given to the outcome. Lower is better. */
export function logLoss(probabilities: Probabilities, outcomes: readonly number[]): number {
  return meanOver(outcomes, (i) => -Math.log(Math.max(logLossEpsilon, probabilities[i]![outcomes[i]!]!)));
}

/**
 * Multi-class Brier score: the squared distance between the forecast and the one-hot outcome,
 * summed over classes and averaged over rows (0 is perfect, 2 is the worst possible).
 */
export function brier(probabilities: Probabilities, outcomes: readonly number[]): number {
  return meanOver(outcomes, (i) =>
    probabilities[i]!.reduce((sum, p, k) => sum + (p - (k === outcomes[i] ? 1 : 0)) ** 2, 0),
  );
}

/**
 * Ranked probability score for ordered outcomes: the mean squared difference between cumulative
 * forecast and cumulative outcome over the first r−1 classes, divided by r−1. It rewards putting
 * probability near the outcome (a draw is closer to a home win than an away win is).
 */
export function rankedProbabilityScore(probabilities: Probabilities, outcomes: readonly number[]): number {
  return meanOver(outcomes, (i) => {
    const forecast = probabilities[i]!;
    let cumulativeForecast = 0;
    let cumulativeOutcome = 0;
    let sum = 0;
    for (let k = 0; k < forecast.length - 1; k++) {
      cumulativeForecast += forecast[k]!;
      cumulativeOutcome += k === outcomes[i] ? 1 : 0;
      sum += (cumulativeForecast - cumulativeOutcome) ** 2;
    }
    return sum / (forecast.length - 1);
  });
}

export const metricFunctions: Record<MetricName, (p: Probabilities, y: readonly number[]) => number> = {
  accuracy,
  log_loss: logLoss,
  brier,
  rps: rankedProbabilityScore,
};

export const metricInfo: Record<MetricName, { label: string; higherIsBetter: boolean; description: string }> =
  {
    rps: {
      label: 'RPS',
      higherIsBetter: false,
      description:
        'Ranked probability score: distance between forecast and outcome on the ordered scale H, D, A.',
    },
    log_loss: {
      label: 'Log loss',
      higherIsBetter: false,
      description: 'Mean negative log probability of the outcome.',
    },
    brier: { label: 'Brier', higherIsBetter: false, description: 'Squared error of the probability vector.' },
    accuracy: {
      label: 'Accuracy',
      higherIsBetter: true,
      description: 'Share of matches whose most likely outcome happened.',
    },
  };

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k]! > values[best]!) best = k;
  return best;
}

function meanOver(outcomes: readonly number[], value: (index: number) => number): number {
  if (outcomes.length === 0) throw new RangeError('Expected at least one row to score, but got none.');
  let sum = 0;
  for (let i = 0; i < outcomes.length; i++) sum += value(i);
  return sum / outcomes.length;
}
