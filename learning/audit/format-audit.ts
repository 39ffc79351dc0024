import type { ProjectAudit } from './audit-project.ts';

/** The terminal report of one project's audit: a verdict per check, its evidence, and a hint where it fails. */
export function formatAudit(audit: ProjectAudit): string {
  const heading = `${audit.project}${audit.title ? ` — ${audit.title}` : ''}${audit.draft ? ' (draft)' : ''}`;
  const run = audit.runId ? `run ${audit.runId}` : 'no run recorded';
  const lines = [
    heading,
    `${run} · ${audit.passed} of ${audit.checks.length} checks pass (${audit.score}%)`,
    '',
  ];
  const width = Math.max(...audit.checks.map((check) => check.id.length));
  let previous = '';
  for (const check of audit.checks) {
    lines.push(
      `  ${check.verdict === 'pass' ? '✓ pass' : '✗ FAIL'}  ${check.id.padEnd(width)}  ${check.title}`,
    );
    const details = [
      ...check.evidence.map((entry) => `      ${entry}`),
      ...(check.hint ? [`      → ${check.hint}`] : []),
    ].join('\n');
    // A draft fails every run-based check for the same reason: say it once.
    if (details) lines.push(details === previous ? '      (same as above)' : details);
    previous = details;
  }
  return lines.join('\n');
}
