/**
 * The audit's checks, by stable id. Ids are part of the public contract: skill files name them as
 * evidence, CI scripts grep for them and `--json` consumers key on them. Never rename one; retire it
 * and add a new id instead.
 */
export const checkCatalogue = {
  'baseline-compared': {
    title: 'Baseline compared',
    question: 'Is every candidate model scored against a simple baseline on the same test period?',
  },
  'comparison-tested': {
    title: 'Difference from the baseline tested',
    question: 'Is the gap between the best model and the best baseline given with an interval?',
  },
  'leakage-safe-split': {
    title: 'Leakage-safe split',
    question: 'Does the test period start strictly after everything the models were trained on?',
  },
  'intervals-reported': {
    title: 'Intervals reported',
    question: 'Do the headline metrics carry 95% intervals rather than bare point estimates?',
  },
  'calibration-checked': {
    title: 'Calibration checked',
    question: 'Are predicted probabilities compared with how often the outcomes really happened?',
  },
  'backtest-run': {
    title: 'Backtest over several periods',
    question: 'Does the model hold up when the evaluation is repeated over several past periods?',
  },
  'slices-examined': {
    title: 'Slices examined',
    question: 'Are results broken down by segment (league, season, …) to find where the model is weak?',
  },
  'impact-quantified': {
    title: 'Impact quantified against a status quo',
    question: 'Is the value of acting on the model measured against what people do today, with uncertainty?',
  },
  'trade-offs-measured': {
    title: 'Trade-offs measured',
    question:
      'Are quality, latency, size and interpretability measured for several candidates, so the choice is argued?',
  },
  'explanation-present': {
    title: 'Explanation present',
    question: 'Can the model be explained: which features matter and how predictions move with them?',
  },
  'features-point-in-time': {
    title: 'Feature reference recorded',
    question:
      'Are the features defined once, computed only from the past, and recorded so serving can use the same values?',
  },
  'labels-accounted': {
    title: 'Labels accounted for',
    question:
      'Is the target defined, and is every record left out of the labelled data counted with a reason?',
  },
  'labelling-agreement': {
    title: 'Labels with measured agreement',
    question:
      'Did the builder label data with a declared task and guidelines, and measure how far the labels agree (between annotators or with themselves), with an interval?',
  },
  'label-error-audit': {
    title: 'Label errors audited',
    question:
      'Were the labels searched for errors (confident learning) and the suspects queued for relabelling?',
  },
  'label-effect-measured': {
    title: 'What the labels were worth, measured',
    question:
      'Is a model measured with and without the labelled field on the test period, with an interval, on the labels the run used?',
  },
  'provenance-licence': {
    title: 'Provenance and licence stated',
    question: 'Does the data say where it came from, when, under which licence and with what attribution?',
  },
  'reproducible-run': {
    title: 'Reproducible run',
    question:
      'Could someone else rerun it: seed, input hashes and a lockfile recorded, and the run matches the current project file?',
  },
  'inference-path': {
    title: 'Inference path',
    question: 'Can someone get a prediction from the trained model: an in-browser demo or an HTTP endpoint?',
  },
  'model-monitored': {
    title: 'Deployed model monitored and retrained',
    question:
      'Was the deployed model checked on data that arrived after it was trained (drift, scores with intervals), and a retrained model promoted only when shown better on the same held-out data?',
  },
  'experiment-analysed': {
    title: 'Online experiment pre-registered and analysed',
    question:
      'Was a model tested against the deployed one on served traffic, registered before it ran, with a sample-ratio check, an interval and a decision?',
  },
  'writeup-complete': {
    title: 'Writeup sections complete',
    question:
      'Does the writeup cover the question, data, approach, results, trade-offs, impact and limitations?',
  },
  'walkthrough-ready': {
    title: 'Interview walkthrough ready',
    question:
      'Is there a 30-second pitch, a 2-minute story and deep-dive questions with answers for an interview?',
  },
} as const satisfies Record<string, { title: string; question: string }>;

export type CheckId = keyof typeof checkCatalogue;
export const checkIds = Object.keys(checkCatalogue) as CheckId[];

export function isCheckId(value: string): value is CheckId {
  return Object.hasOwn(checkCatalogue, value);
}
