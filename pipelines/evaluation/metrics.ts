/** The metrics of a probability forecast over ordered or unordered classes. */
export const metricNames = ['rps', 'log_loss', 'brier', 'accuracy'] as const;
export type MetricName = (typeof metricNames)[number];
/** A probability forecast over ordered outcome classes, one row per example. */
export type Probabilities = readonly (readonly number[])[];

/** Probabilities are clipped to [ε, 1] before taking logs so one confident miss cannot make log loss infinite. */
export const logLossEpsilon = 1e-15;

/** Per-row score of each metric; every metric is the mean of its per-row scores. */
export const perRowMetrics: Record<MetricName, (forecast: readonly number[], outcome: number) => number> = {
  /** 1 when the most probable class (first one on ties) is the outcome. */
  accuracy: (forecast, outcome) => (argmax(forecast) === outcome ? 1 : 0),
  /** Negative natural log of the probability given to the outcome. Lower is better. */
  log_loss: (forecast, outcome) => -Math.log(Math.max(logLossEpsilon, forecast[outcome]!)),
  /**
   * Multi-class Brier score: squared distance between the forecast and the one-hot outcome,
   * summed over classes (0 is perfect, 2 is the worst possible).
   */
  brier: (forecast, outcome) => forecast.reduce((sum, p, k) => sum + (p - (k === outcome ? 1 : 0)) ** 2, 0),
  /**
   * Ranked probability score for ordered outcomes: the squared difference between cumulative
   * forecast and cumulative outcome over the first r−1 classes, divided by r−1. It rewards putting
   * probability near the outcome (a draw is closer to a home win than an away win is).
   */
  rps: (forecast, outcome) => {
    let cumulativeForecast = 0;
    let cumulativeOutcome = 0;
    let sum = 0;
    for (let k = 0; k < forecast.length - 1; k++) {
      cumulativeForecast += forecast[k]!;
      cumulativeOutcome += k === outcome ? 1 : 0;
      sum += (cumulativeForecast - cumulativeOutcome) ** 2;
    }
    return sum / (forecast.length - 1);
  },
};

export function rowScores(
  metric: MetricName,
  probabilities: Probabilities,
  outcomes: readonly number[],
): number[] {
  if (outcomes.length === 0) throw new RangeError('Expected at least one row to score, but got none.');
  return outcomes.map((outcome, i) => perRowMetrics[metric](probabilities[i]!, outcome));
}

const meanScore = (metric: MetricName) => (probabilities: Probabilities, outcomes: readonly number[]) => {
  const scores = rowScores(metric, probabilities, outcomes);
  return scores.reduce((sum, v) => sum + v, 0) / scores.length;
};

export const accuracy = meanScore('accuracy');
export const logLoss = meanScore('log_loss');
export const brier = meanScore('brier');
export const rankedProbabilityScore = meanScore('rps');

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
