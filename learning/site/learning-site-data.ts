import { pathExists } from '../../portfolio/files.ts';
import { workspaceAt } from '../../portfolio/workspace.ts';
import { auditPortfolio, type ProjectAudit } from '../audit/audit-project.ts';
import { buildPlan, clockToday } from '../path/build-plan.ts';
import type { Plan } from '../path/plan.ts';
import { profileFile } from '../path/profile.ts';
import { skillsDir } from '../skills/skill-graph.ts';
import { pathGraphSvg } from './path-graph-svg.ts';

/** What the site's learning-path page and readiness panels render. */
export interface LearningSiteData {
  /** Every project's audit, drafts included, in slug order. */
  audits: ProjectAudit[];
  /** The plan, when the portfolio has a profile and a skill graph. */
  plan: Plan | undefined;
  /** The plan drawn as an SVG string, ready to inline. */
  graphSvg: string | undefined;
  /** Why there is no plan, for the page to say. */
  missing: string | undefined;
}

let cached: Promise<LearningSiteData> | undefined;

/**
 * Loads once per build. A portfolio without content/profile.yaml or content/skills/ has no plan
 * (the page says how to add one); a profile or skill file that is present but wrong fails the
 * build with the file and field.
 */
export function learningSiteData(): Promise<LearningSiteData> {
  cached ??= load();
  return cached;
}

/** The audit of one project, for its page. */
export async function projectReadiness(slug: string): Promise<ProjectAudit | undefined> {
  return (await learningSiteData()).audits.find((audit) => audit.project === slug);
}

async function load(): Promise<LearningSiteData> {
  const workspace = workspaceAt();
  const absent = [
    (await pathExists(profileFile(workspace))) ? undefined : 'content/profile.yaml',
    (await pathExists(skillsDir(workspace))) ? undefined : 'content/skills/',
  ].filter((entry): entry is string => entry !== undefined);
  if (absent.length) {
    return {
      audits: await auditPortfolio(workspace),
      plan: undefined,
      graphSvg: undefined,
      missing: `This portfolio has no ${absent.join(' and no ')}.`,
    };
  }
  const { plan, audits } = await buildPlan(workspace, { today: clockToday() });
  return { audits, plan, graphSvg: pathGraphSvg(plan), missing: undefined };
}
