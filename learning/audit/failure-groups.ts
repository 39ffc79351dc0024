import type { CheckResult } from './check.ts';

/** Failing checks that fail for one reason: the same last line of evidence and the same hint. */
export interface FailureGroup {
  checks: CheckResult[];
  /** The evidence line the checks share: what is missing. */
  reason: string;
  hint: string | undefined;
}

/**
 * The failing checks of an audit, those failing for one reason together (a draft's fifteen checks
 * that all wait for a run), so a reader sees each reason and each hint once. Groups keep the order
 * of their first check.
 */
export function failureGroups(checks: readonly CheckResult[]): FailureGroup[] {
  const groups: FailureGroup[] = [];
  for (const check of checks) {
    if (check.verdict !== 'fail') continue;
    const reason = check.evidence.at(-1) ?? '';
    const group = groups.find((g) => g.reason === reason && g.hint === check.hint);
    if (group) group.checks.push(check);
    else groups.push({ checks: [check], reason, hint: check.hint });
  }
  return groups;
}
