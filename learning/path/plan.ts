import type { FocusArea, ProjectIdea } from '../../templates/project-ideas.ts';
import type { ProjectAudit } from '../audit/audit-project.ts';
import type { StartingLevel } from '../skills/skill-file.ts';
import { ancestorsOf, orderByPrerequisites, type Skill, type SkillGraph } from '../skills/skill-graph.ts';
import type { Profile } from './profile.ts';
import { focusAreaFor, taggedWith } from './project-ideas.ts';
import { type SkillProgress, skillProgress } from './skill-progress.ts';

/** Why a milestone sits where it does in the plan. */
export type Tier = 'first-gap' | 'core' | 'stretch';

export interface Milestone {
  /** 1-based position in the plan. */
  step: number;
  skill: Pick<Skill, 'id' | 'title' | 'summary' | 'prerequisites'>;
  tier: Tier;
  startingLevel: StartingLevel;
  /** Hours budgeted for the whole skill at this background's starting level. */
  plannedHours: number;
  /** Hours still to go, after the evidence already found. */
  remainingHours: number;
  progress: SkillProgress;
  /** When the remaining work is scheduled (ISO dates); absent once the skill is shown. */
  start?: string;
  end?: string;
  /** The recommended project in which to build the evidence. */
  project: string;
}

export interface RecommendedProject extends ProjectIdea {
  /** Milestone steps this project carries. */
  steps: number[];
  /** The command that scaffolds it: `mlfolio new <slug> --template … --sport …`. */
  start: string;
  /** A project of the builder's in this area (tagged with its sport) from this idea's template, if any. */
  existing?: string;
}

/** What the plan needs to know of one of the builder's projects. */
export interface BuilderProject {
  /** The task its project file declares, which is the template it came from. */
  task: string | undefined;
  tags: readonly string[];
}

export interface NextStep {
  milestone: number;
  skill: string;
  /** What to do, with the project to do it in. */
  action: string;
}

export interface Plan {
  profile: Profile;
  focusArea: Pick<FocusArea, 'id' | 'label' | 'known'>;
  /** The day the remaining work is scheduled from. */
  today: string;
  milestones: Milestone[];
  projects: RecommendedProject[];
  next: NextStep | undefined;
  remainingHours: number;
  /** When the remaining work ends at the profile's pace. */
  finish: string;
  /** Against the original schedule from the profile's start date, counted in milestones. */
  schedule: { expectedDone: number; done: number };
}

export interface PlanInputs {
  profile: Profile;
  graph: SkillGraph;
  /** Audits of the builder's projects: the only source of progress. */
  audits: readonly ProjectAudit[];
  /** The builder's projects, by slug. */
  projects?: Readonly<Record<string, BuilderProject>>;
  today: Date;
}

const levelFactor: Record<StartingLevel, number> = { strong: 0.25, partial: 0.6, gap: 1 };
const tierRank: Record<Tier, number> = { 'first-gap': 0, core: 1, stretch: 2 };
// Between equally urgent skills, the wider gap comes first: it is where the builder gains most.
const levelRank: Record<StartingLevel, number> = { gap: 0, partial: 1, strong: 2 };

/**
 * Plans the skills of `graph` for `profile`. Order: each skill after its prerequisites; among the
 * skills that are ready, the background's first gaps (and what they need) before the target role's
 * core skills, and those before stretch skills; then the wider gap first. Hours scale with what the background brings; dates
 * follow at the profile's hours per week, from `today`.
 */
export function planPath(inputs: PlanInputs): Plan {
  const { profile, graph } = inputs;
  const tierOf = (skill: Skill): Tier =>
    skill.firstFor.includes(profile.background)
      ? 'first-gap'
      : skill.coreFor.includes(profile.targetRole)
        ? 'core'
        : 'stretch';
  const levelOf = (skill: Skill): StartingLevel => skill.startingLevel[profile.background] ?? 'gap';
  // A prerequisite is as urgent as the most urgent skill that needs it.
  const urgency = new Map(graph.skills.map((skill) => [skill.id, tierRank[tierOf(skill)]]));
  for (const skill of graph.skills) {
    for (const ancestor of ancestorsOf(skill.id, graph.byId)) {
      urgency.set(ancestor, Math.min(urgency.get(ancestor)!, tierRank[tierOf(skill)]));
    }
  }
  const ordered = orderByPrerequisites(
    graph.skills,
    graph.byId,
    (a, b) =>
      urgency.get(a.id)! - urgency.get(b.id)! ||
      tierRank[tierOf(a)] - tierRank[tierOf(b)] ||
      levelRank[levelOf(a)] - levelRank[levelOf(b)] ||
      a.id.localeCompare(b.id),
  );

  const today = isoDay(inputs.today);
  const start = profile.startDate && profile.startDate > today ? profile.startDate : today;
  let cursor = start;
  const milestones: Milestone[] = ordered.map((skill, index) => {
    const level = levelOf(skill);
    const plannedHours = round(skill.effortHours * levelFactor[level]);
    const progress = skillProgress(skill, inputs.audits);
    const remainingHours = round(plannedHours * (1 - progress.fraction));
    const milestone: Milestone = {
      step: index + 1,
      skill: { id: skill.id, title: skill.title, summary: skill.summary, prerequisites: skill.prerequisites },
      tier: tierOf(skill),
      startingLevel: level,
      plannedHours,
      remainingHours,
      progress,
      project: '',
    };
    if (progress.status !== 'done') {
      milestone.start = cursor;
      cursor = addDays(cursor, daysFor(remainingHours, profile.hoursPerWeek));
      milestone.end = cursor;
    }
    return milestone;
  });

  const area = focusAreaFor(profile.interests);
  const projects = assignProjects(area, milestones, inputs.projects ?? {});
  const next = milestones.find((milestone) => milestone.progress.status !== 'done');
  return {
    profile,
    focusArea: { id: area.id, label: area.label, known: area.known },
    today,
    milestones,
    projects,
    next: next ? nextStep(next, projects) : undefined,
    remainingHours: round(milestones.reduce((sum, m) => sum + m.remainingHours, 0)),
    finish: cursor,
    schedule: onSchedule(milestones, profile, today),
  };
}

/**
 * Two or three of the area's ideas, ordered by the earliest milestone each carries; every
 * milestone goes to the first of them that exercises its skill.
 */
function assignProjects(
  area: FocusArea,
  milestones: Milestone[],
  builderProjects: Readonly<Record<string, BuilderProject>>,
): RecommendedProject[] {
  const firstStep = (idea: ProjectIdea) =>
    Math.min(...milestones.filter((m) => idea.skills.includes(m.skill.id)).map((m) => m.step));
  const ideas = [...area.ideas].sort((a, b) => firstStep(a) - firstStep(b)).slice(0, 3);
  const projects: RecommendedProject[] = ideas.map((idea) => ({
    ...idea,
    steps: [],
    start: `mlfolio new <slug> --template ${idea.template} --sport ${area.id}`,
  }));
  for (const milestone of milestones) {
    const project = projects.find((p) => p.skills.includes(milestone.skill.id)) ?? projects.at(-1)!;
    project.steps.push(milestone.step);
    milestone.project = project.id;
  }
  const used = new Set<string>();
  for (const project of projects) {
    // A project counts for an idea only in the area's sport: an NBA project is not a tennis one.
    const existing = Object.entries(builderProjects)
      .filter(
        ([slug, built]) =>
          // A version 2 project names its task kind (regression…), not its template; templates tag their own kind.
          (built.task === project.template || built.tags.includes(project.template)) &&
          taggedWith(area, built.tags) &&
          !used.has(slug),
      )
      .map(([slug]) => slug)
      .sort()[0];
    if (existing) {
      project.existing = existing;
      used.add(existing);
    }
  }
  return projects.filter((project, index) => project.steps.length || index < 2);
}

function nextStep(milestone: Milestone, projects: readonly RecommendedProject[]): NextStep {
  const missing = milestone.progress.evidence.find((entry) => !entry.passedIn.length)!;
  const project = projects.find((p) => p.id === milestone.project)!;
  const action = missing.failing
    ? `Make \`${missing.check}\` pass in ${missing.failing.project}: ${missing.failing.hint}`
    : project.existing
      ? `Make \`${missing.check}\` pass in ${project.existing} (\`mlfolio audit ${project.existing}\` says how).`
      : `Start "${project.title}" with \`${project.start}\`, then make \`${missing.check}\` pass (\`mlfolio audit <slug>\`).`;
  return { milestone: milestone.step, skill: milestone.skill.id, action };
}

/** How many milestones the original schedule, from the profile's start date, expected done by today. */
function onSchedule(milestones: readonly Milestone[], profile: Profile, today: string) {
  let cursor = profile.startDate ?? today;
  let expectedDone = 0;
  for (const milestone of milestones) {
    cursor = addDays(cursor, daysFor(milestone.plannedHours, profile.hoursPerWeek));
    if (cursor <= today) expectedDone += 1;
  }
  return { expectedDone, done: milestones.filter((m) => m.progress.status === 'done').length };
}

const daysFor = (hours: number, hoursPerWeek: number) => Math.ceil((hours / hoursPerWeek) * 7);
const round = (value: number) => Math.round(value * 10) / 10;

export function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return isoDay(date);
}
