import type { Milestone, Plan } from './plan.ts';
import { backgroundLabels, targetRoleLabels } from './profile.ts';

const tierLabel = { 'first-gap': 'first gap', core: 'core', stretch: 'stretch' } as const;
const statusMark = { done: '✓', 'in-progress': '◐', 'not-started': '○' } as const;

/** `mlfolio path`: the plan, milestone by milestone, with dates and the projects that carry them. */
export function formatPlan(plan: Plan): string {
  const { profile } = plan;
  const lines = [
    `Learning path for a ${backgroundLabels[profile.background]} aiming at an ${targetRoleLabels[profile.targetRole]} role, ${profile.hoursPerWeek} h/week, focus: ${plan.focusArea.label}${plan.focusArea.known ? '' : `, ${unknownSport(plan)}`}`,
    `${plan.remainingHours} h to go from ${plan.today}; finishes around ${plan.finish}.`,
    '',
    'Milestones (each after its prerequisites):',
  ];
  for (const milestone of plan.milestones) lines.push(milestoneLine(milestone));
  lines.push('', `Projects in ${plan.focusArea.label}:`);
  for (const [index, project] of plan.projects.entries()) {
    lines.push(
      `  ${index + 1}. ${project.title} (template ${project.template}; milestones ${project.steps.join(', ')})${project.existing ? ` — in progress as ${project.existing}` : ''}`,
      `     ${project.question}`,
      ...(project.existing ? [] : [`     Start: ${project.start}`]),
    );
  }
  if (plan.next) lines.push('', `Next: ${plan.next.action}`);
  return lines.join('\n');
}

/** For a focus area made from an interest the tool does not know: what that means for the builder. */
export function unknownSport(plan: Plan): string {
  return `a sport mlfolio has no ideas or example sources for: the projects below are generic, and \`--sport ${plan.focusArea.id}\` scaffolds them with placeholder pages to point at public ${plan.focusArea.label} tables`;
}

/** `mlfolio path status`: progress per milestone from audit evidence, the schedule and the next step. */
export function formatStatus(plan: Plan): string {
  const done = plan.milestones.filter((m) => m.progress.status === 'done').length;
  const { expectedDone } = plan.schedule;
  const pace =
    done >= expectedDone
      ? `on schedule (${done} done, ${expectedDone} expected by ${plan.today})`
      : `behind schedule: ${done} done, ${expectedDone} expected by ${plan.today}`;
  const lines = [
    `Progress: ${done} of ${plan.milestones.length} milestones shown by audit evidence; ${pace}.`,
    '',
  ];
  for (const milestone of plan.milestones) {
    lines.push(milestoneLine(milestone));
    for (const entry of milestone.progress.evidence) {
      lines.push(
        entry.passedIn.length
          ? `        ✓ ${entry.check} — passes in ${entry.passedIn.join(', ')}`
          : `        ✗ ${entry.check}${entry.failing ? ` — fails in ${entry.failing.project}` : ' — no project checked yet'}`,
      );
    }
  }
  lines.push(
    '',
    plan.next
      ? `Next step (milestone ${plan.next.milestone}): ${plan.next.action}`
      : 'Every milestone is shown. Well done.',
  );
  return lines.join('\n');
}

function milestoneLine(milestone: Milestone): string {
  const when = milestone.start ? `${milestone.start} → ${milestone.end}` : 'shown';
  const hours =
    milestone.remainingHours === milestone.plannedHours
      ? `${milestone.plannedHours} h`
      : `${milestone.remainingHours} of ${milestone.plannedHours} h left`;
  return `  ${statusMark[milestone.progress.status]} ${String(milestone.step).padStart(2)}. ${milestone.skill.title.padEnd(40)} ${tierLabel[milestone.tier].padEnd(9)} ${hours.padEnd(18)} ${when}`;
}
