import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProjectAudit } from '../../learning/audit/audit-project.ts';
import { type CheckId, checkCatalogue, checkIds } from '../../learning/audit/check-catalogue.ts';
import { formatPlan } from '../../learning/path/format-plan.ts';
import { type Plan, planPath } from '../../learning/path/plan.ts';
import { backgrounds, type Profile, profileSchema } from '../../learning/path/profile.ts';
import { focusAreaFor } from '../../learning/path/project-ideas.ts';
import { loadSkillGraph, type SkillGraph } from '../../learning/skills/skill-graph.ts';
import { focusAreas } from '../../templates/project-ideas.ts';
import { tempWorkspace } from './temp-workspace.ts';

const today = new Date('2026-11-22T09:00:00Z');
let graph: SkillGraph;
let dispose: () => Promise<void>;

beforeAll(async () => {
  const ws = await tempWorkspace({ example: false });
  dispose = ws.dispose;
  graph = await loadSkillGraph(ws);
});
afterAll(() => dispose());

const profile = (fields: Partial<Profile>): Profile =>
  profileSchema.parse({ background: 'other', interests: ['football'], hoursPerWeek: 10, ...fields });

/** An audit of one project in which exactly `passing` pass. */
function auditWith(project: string, passing: readonly CheckId[]): ProjectAudit {
  const checks = checkIds.map((id) => ({
    id,
    ...checkCatalogue[id],
    verdict: passing.includes(id) ? ('pass' as const) : ('fail' as const),
    evidence: [],
    ...(passing.includes(id) ? {} : { hint: `make ${id} pass` }),
  }));
  return {
    project,
    title: project,
    task: 'match-outcome',
    tags: ['football'],
    draft: undefined,
    runId: undefined,
    checks,
    passed: passing.length,
    failed: checks.length - passing.length,
    score: 0,
  };
}

const ancestors = (id: string): string[] =>
  graph.byId.get(id)!.prerequisites.flatMap((p) => [p, ...ancestors(p)]);
const order = (plan: Plan) => plan.milestones.map((m) => m.skill.id);
const firstGapSteps = (plan: Plan) =>
  plan.milestones.filter((m) => m.tier === 'first-gap').map((m) => m.skill.id);

describe('planning a learning path', () => {
  const plans = () =>
    Object.fromEntries(
      backgrounds.map((background) => [
        background,
        planPath({ profile: profile({ background }), graph, audits: [], today }),
      ]),
    );

  it('gives each background a different plan, and every plan puts each skill after its prerequisites', () => {
    const byBackground = plans();
    const orders = Object.values(byBackground).map((plan) => order(plan).join(' '));
    expect(new Set(orders).size).toBe(backgrounds.length);
    for (const plan of Object.values(byBackground)) {
      expect(order(plan).sort()).toEqual(graph.skills.map((s) => s.id).sort());
      const placed = new Set<string>();
      for (const milestone of plan.milestones) {
        for (const prerequisite of milestone.skill.prerequisites) expect(placed).toContain(prerequisite);
        placed.add(milestone.skill.id);
      }
    }
  });

  it("starts from each background's gaps", () => {
    const byBackground = plans();
    // A software engineer learns modelling and evaluation in practice first.
    expect(firstGapSteps(byBackground['software-engineer']!)).toEqual([
      'modelling',
      'evaluation-in-practice',
    ]);
    expect(order(byBackground['software-engineer']!).slice(0, 3)).toEqual([
      'collecting-data',
      'modelling',
      'evaluation-in-practice',
    ]);
    // An analytics data scientist: production code and ML algorithms.
    expect(firstGapSteps(byBackground['data-scientist-analytics']!)).toEqual([
      'production-code',
      'modelling',
    ]);
    // An algorithms data scientist: production systems that scale, before anything else.
    expect(order(byBackground['data-scientist-algorithms']!)[0]).toBe('production-code');
    expect(firstGapSteps(byBackground['data-scientist-algorithms']!)).toEqual([
      'production-code',
      'inference-infrastructure',
      'feature-stores',
    ]);
    expect(firstGapSteps(byBackground.other!)).toEqual(['collecting-data', 'modelling']);
  });

  it('places nothing before the last first gap but first gaps and what they need', () => {
    for (const plan of Object.values(plans())) {
      const ids = order(plan);
      const lastGap = Math.max(...plan.milestones.filter((m) => m.tier === 'first-gap').map((m) => m.step));
      const needed = new Set(
        plan.milestones
          .filter((m) => m.tier === 'first-gap')
          .flatMap((m) => [m.skill.id, ...ancestors(m.skill.id)]),
      );
      expect(ids.slice(0, lastGap).filter((id) => !needed.has(id))).toEqual([]);
    }
  });

  it('budgets fewer hours for what a background already brings', () => {
    const byBackground = plans();
    const hours = (plan: Plan, skill: string) =>
      plan.milestones.find((m) => m.skill.id === skill)!.plannedHours;
    expect(hours(byBackground['software-engineer']!, 'production-code')).toBeLessThan(
      hours(byBackground['data-scientist-analytics']!, 'production-code'),
    );
    expect(hours(byBackground['data-scientist-algorithms']!, 'modelling')).toBeLessThan(
      hours(byBackground['software-engineer']!, 'modelling'),
    );
  });

  it('dates milestones back to back at the given pace from the injected clock', () => {
    const slow = planPath({ profile: profile({ hoursPerWeek: 5 }), graph, audits: [], today });
    const fast = planPath({ profile: profile({ hoursPerWeek: 20 }), graph, audits: [], today });
    expect(slow.milestones[0]!.start).toBe('2026-11-22');
    for (const [i, milestone] of slow.milestones.entries()) {
      if (i > 0) expect(milestone.start).toBe(slow.milestones[i - 1]!.end);
    }
    // Collecting data from scratch: 20 h at 5 h a week is four weeks.
    expect(slow.milestones[0]).toMatchObject({ skill: { id: 'collecting-data' }, end: '2026-12-20' });
    expect(slow.finish > fast.finish).toBe(true);
    expect(slow.remainingHours).toBe(fast.remainingHours);
  });

  it('recommends two or three projects in one focus area that together carry every milestone', () => {
    const plan = planPath({ profile: profile({ interests: ['NBA', 'football'] }), graph, audits: [], today });
    expect(plan.focusArea.id).toBe('basketball');
    expect(plan.projects.length).toBeGreaterThanOrEqual(2);
    expect(plan.projects.length).toBeLessThanOrEqual(3);
    expect(plan.projects.every((p) => p.id.startsWith('basketball-'))).toBe(true);
    expect(plan.projects.flatMap((p) => p.steps).sort((a, b) => a - b)).toEqual(
      plan.milestones.map((m) => m.step),
    );
  });

  it("covers every skill in every focus area's ideas, and makes an area from an unknown interest", () => {
    const skills = graph.skills.map((s) => s.id).sort();
    for (const area of [...focusAreas, focusAreaFor(['Curling'])]) {
      expect([...new Set(area.ideas.flatMap((idea) => idea.skills))].sort()).toEqual(skills);
    }
    expect(focusAreaFor(['Curling']).ideas[0]!.title).toContain('Curling');
  });

  it('counts progress only from audit verdicts and moves the next step past shown skills', () => {
    const none = planPath({
      profile: profile({ background: 'software-engineer' }),
      graph,
      audits: [],
      today,
    });
    expect(none.next?.skill).toBe('collecting-data');
    expect(none.next?.action).toContain('mlfolio new');

    const audits = [
      auditWith('my-matches', [
        'provenance-licence',
        'labels-accounted',
        'baseline-compared',
        'trade-offs-measured',
        'leakage-safe-split',
      ]),
    ];
    const some = planPath({
      profile: profile({ background: 'software-engineer' }),
      graph,
      audits,
      projects: { 'my-matches': { task: 'match-outcome', tags: ['football', 'forecasting'] } },
      today,
    });
    const status = Object.fromEntries(some.milestones.map((m) => [m.skill.id, m.progress.status]));
    expect(status).toMatchObject({
      'collecting-data': 'done',
      modelling: 'done',
      'evaluation-in-practice': 'in-progress',
      explainability: 'not-started',
    });
    // labels-accounted alone (a defined target, reasons for left-out records) no longer shows annotation:
    // that takes a labelling task with measured agreement, an error audit and a measured effect
    expect(status['annotation-infrastructure']).toBe('not-started');
    const annotated = planPath({
      profile: profile({ background: 'software-engineer' }),
      graph,
      audits: [
        auditWith('my-matches', ['labelling-agreement', 'label-error-audit', 'label-effect-measured']),
      ],
      projects: { 'my-matches': { task: 'match-outcome', tags: ['football', 'forecasting'] } },
      today,
    });
    expect(
      annotated.milestones.find((m) => m.skill.id === 'annotation-infrastructure')!.progress.status,
    ).toBe('done');
    const evaluation = some.milestones.find((m) => m.skill.id === 'evaluation-in-practice')!;
    expect(evaluation.remainingHours).toBeCloseTo(evaluation.plannedHours * (5 / 6), 1);
    expect(some.milestones.find((m) => m.skill.id === 'modelling')!.start).toBeUndefined();
    expect(some.next).toMatchObject({ skill: 'evaluation-in-practice' });
    expect(some.next?.action).toBe(
      'Make `intervals-reported` pass in my-matches: make intervals-reported pass',
    );
    expect(some.projects[0]!.existing).toBe('my-matches');
    expect(some.remainingHours).toBeLessThan(none.remainingHours);
  });

  it('says when the focus sport is not one it knows, and tells its scaffold which sport it is', () => {
    const plan = planPath({ profile: profile({ interests: ['Tennis'] }), graph, audits: [], today });
    expect(plan.focusArea).toEqual({ id: 'tennis', label: 'Tennis', known: false });
    expect(plan.next?.action).toContain('`mlfolio new <slug> --template stats-table --sport tennis`');
    const text = formatPlan(plan);
    expect(text).toContain(
      'focus: Tennis, a sport mlfolio has no ideas or example sources for: the projects below are generic',
    );
    expect(formatPlan(planPath({ profile: profile({}), graph, audits: [], today }))).not.toContain(
      'no ideas or example sources',
    );
  });

  it("counts a project as in progress for an idea only when it is in the plan's sport", () => {
    const projects = {
      'nba-team-wins': { task: 'stats-table', tags: ['basketball', 'stats-table'] },
      'tennis-outcomes': { task: 'stats-table', tags: ['tennis', 'stats-table'] },
    };
    const audits = [auditWith('nba-team-wins', []), auditWith('tennis-outcomes', [])];
    const tennis = planPath({ profile: profile({ interests: ['tennis'] }), graph, audits, projects, today });
    expect(tennis.projects.map((p) => p.existing).filter(Boolean)).toEqual(['tennis-outcomes']);
    const curling = planPath({
      profile: profile({ interests: ['curling'] }),
      graph,
      audits,
      projects,
      today,
    });
    expect(curling.projects.map((p) => p.existing).filter(Boolean)).toEqual([]);
    const nba = planPath({ profile: profile({ interests: ['NBA'] }), graph, audits, projects, today });
    expect(nba.projects.map((p) => p.existing).filter(Boolean)).toEqual(['nba-team-wins']);
  });

  it('compares progress with the schedule from the start date', () => {
    const plan = planPath({
      profile: profile({ background: 'software-engineer', hoursPerWeek: 10, startDate: '2026-09-01' }),
      graph,
      audits: [],
      today,
    });
    expect(plan.schedule.done).toBe(0);
    expect(plan.schedule.expectedDone).toBeGreaterThan(0);
  });
});
