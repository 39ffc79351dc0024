import type { ProjectAudit } from '../audit/audit-project.ts';
import type { CheckId } from '../audit/check-catalogue.ts';
import type { Skill } from '../skills/skill-graph.ts';

export type SkillStatus = 'done' | 'in-progress' | 'not-started';

/** One piece of evidence a skill asks for, and the builder's projects where the audit found it. */
export interface EvidenceProgress {
  check: CheckId;
  passedIn: string[];
  /** For a check no project passes: the project that came closest and the audit's hint there. */
  failing?: { project: string; hint: string };
}

export interface SkillProgress {
  skill: string;
  status: SkillStatus;
  evidence: EvidenceProgress[];
  /** Share of the skill's evidence found, 0–1. */
  fraction: number;
}

/**
 * How far the builder has shown `skill`, from audit verdicts only: a check counts when it passes
 * in any of the builder's projects. Nothing is self-declared.
 */
export function skillProgress(skill: Skill, audits: readonly ProjectAudit[]): SkillProgress {
  const evidence = skill.evidence.map((check): EvidenceProgress => {
    const results = audits.map((audit) => ({ audit, result: audit.checks.find((c) => c.id === check) }));
    const passedIn = results
      .filter(({ result }) => result?.verdict === 'pass')
      .map(({ audit }) => audit.project);
    if (passedIn.length) return { check, passedIn };
    // The closest project is the one that passes the most checks overall: finishing it pays most.
    const closest = results
      .filter(({ result }) => result?.hint)
      .sort((a, b) => b.audit.passed - a.audit.passed || a.audit.project.localeCompare(b.audit.project))[0];
    return closest
      ? { check, passedIn, failing: { project: closest.audit.project, hint: closest.result!.hint! } }
      : { check, passedIn };
  });
  const found = evidence.filter((entry) => entry.passedIn.length).length;
  const fraction = found / evidence.length;
  return {
    skill: skill.id,
    status: fraction === 1 ? 'done' : found ? 'in-progress' : 'not-started',
    evidence,
    fraction,
  };
}
