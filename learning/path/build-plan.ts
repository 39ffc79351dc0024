import type { Workspace } from '../../portfolio/workspace.ts';
import { auditPortfolio, type ProjectAudit } from '../audit/audit-project.ts';
import { loadSkillGraph, type SkillGraph } from '../skills/skill-graph.ts';
import { type Plan, planPath } from './plan.ts';
import { loadProfile } from './profile.ts';

export interface PlanOptions {
  /** The clock; tests and reproducible builds pass a fixed day. */
  today: Date;
  profileFile?: string;
}

export interface PlanWithEvidence {
  plan: Plan;
  graph: SkillGraph;
  audits: ProjectAudit[];
}

/** Loads the profile and the skill graph, audits every project and plans from the result. */
export async function buildPlan(workspace: Workspace, options: PlanOptions): Promise<PlanWithEvidence> {
  const profile = await loadProfile(workspace, options.profileFile);
  const graph = await loadSkillGraph(workspace);
  const audits = await auditPortfolio(workspace);
  const projects = Object.fromEntries(
    audits.map((audit) => [audit.project, { task: audit.task, tags: audit.tags }]),
  );
  return { plan: planPath({ profile, graph, audits, projects, today: options.today }), graph, audits };
}

/** Today, or the day in MLFOLIO_TODAY (YYYY-MM-DD) for reproducible output. */
export function clockToday(env: NodeJS.ProcessEnv = process.env): Date {
  const fixed = env.MLFOLIO_TODAY;
  if (fixed && /^\d{4}-\d{2}-\d{2}$/.test(fixed)) return new Date(`${fixed}T12:00:00Z`);
  return new Date();
}
