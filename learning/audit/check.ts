import type { MetricName } from '../../pipelines/evaluation/metrics.ts';
import { metricInfo } from '../../pipelines/evaluation/metrics.ts';
import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { type CheckId, checkCatalogue } from './check-catalogue.ts';
import type { ProjectEvidence } from './project-evidence.ts';

export type Verdict = 'pass' | 'fail';

/** What one check concluded about one project. */
export interface CheckResult {
  id: CheckId;
  title: string;
  question: string;
  verdict: Verdict;
  /** What was found, in the reader's words, with the numbers that back it. */
  evidence: string[];
  /** What to do to make the check pass; present whenever the verdict is "fail". */
  hint?: string;
}

export type CheckOutcome = Pick<CheckResult, 'verdict' | 'evidence' | 'hint'>;

export interface Check {
  id: CheckId;
  run(evidence: ProjectEvidence): CheckOutcome;
}

export const pass = (...evidence: string[]): CheckOutcome => ({ verdict: 'pass', evidence });

export const fail = (hint: string, ...evidence: string[]): CheckOutcome => ({
  verdict: 'fail',
  evidence,
  hint,
});

/**
 * Runs `body` with the project's latest run, or fails with what to do to get one: a draft (its
 * scraped pages not collected yet) must be scraped first, a file that does not load completed first.
 */
export function withRun(evidence: ProjectEvidence, body: (run: RunRecord) => CheckOutcome): CheckOutcome {
  if (evidence.run) return body(evidence.run);
  if (evidence.runProblem) {
    return fail(
      `Delete the broken run folder in ${evidence.runsDir} and run \`mlfolio run ${evidence.slug}\`.`,
      evidence.runProblem,
    );
  }
  if (evidence.draft) {
    return fail(
      evidence.specProblem
        ? `Fix ${evidence.specFile} first. Then collect its pages with \`mlfolio scrape ${evidence.slug}\` and run \`mlfolio run ${evidence.slug}\`; until then \`npm start\` skips it.`
        : `Collect its pages with \`mlfolio scrape ${evidence.slug}\`, then run \`mlfolio run ${evidence.slug}\`; until then \`npm start\` skips it. The writeup and walkthrough checks apply already.`,
      `No run recorded: the project is a draft, because ${evidence.draft}.`,
      ...(evidence.specProblem ? [`Its project file has problems. ${problemsOf(evidence.specProblem)}`] : []),
    );
  }
  if (evidence.specProblem) {
    return fail(
      `Complete ${evidence.specFile} so it loads, then run \`mlfolio run ${evidence.slug}\`.`,
      `No run recorded: the project file does not load yet. ${problemsOf(evidence.specProblem)}`,
    );
  }
  return fail(
    `Run \`mlfolio run ${evidence.slug}\` (or \`npm start\`) to record a run.`,
    'No run recorded yet.',
  );
}

export function describe(id: CheckId): Pick<CheckResult, 'id' | 'title' | 'question'> {
  return { id, ...checkCatalogue[id] };
}

/** The field-by-field problems of a validation message, on one line. */
function problemsOf(message: string): string {
  const problems = message
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^\s*-\s*/, '').trim())
    .filter(Boolean);
  return problems.length ? `Problems: ${problems.join('; ')}` : message;
}

/** 0.2087 → "0.2087"; accuracy-like values in [0, 1] stay as fractions so units never get mixed. */
export const fixed = (value: number, digits = 4) => value.toFixed(digits);

export function interval(estimate: { value: number; lower?: number; upper?: number }, digits = 4): string {
  const point = fixed(estimate.value, digits);
  return estimate.lower === undefined || estimate.upper === undefined
    ? point
    : `${point} [${fixed(estimate.lower, digits)}, ${fixed(estimate.upper, digits)}]`;
}

export const hasInterval = (estimate: { lower?: number; upper?: number } | undefined) =>
  estimate?.lower !== undefined && estimate.upper !== undefined;

/** Whether a larger value of `metric` is better (accuracy) or worse (the losses). */
export function higherIsBetter(metric: string): boolean {
  return metricInfo[metric as MetricName]?.higherIsBetter ?? false;
}

/** Decimals that suit a value's size: 119 points, 4.2 units, 0.0153 of a score. */
export function digitsFor(value: number): number {
  const size = Math.abs(value);
  return size >= 100 ? 0 : size >= 1 ? 1 : 4;
}
