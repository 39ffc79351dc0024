import { z } from 'zod';
import { backgrounds, targetRoles } from '../path/profile.ts';

/** How much of a skill a background usually brings: it scales the hours the plan budgets. */
export const startingLevels = ['strong', 'partial', 'gap'] as const;
export type StartingLevel = (typeof startingLevels)[number];

/** One file in `content/skills/`, named `<skill id>.yaml`. */
export const skillFileSchema = z.strictObject({
  title: z.string().min(1),
  /** One line, shown on the graph and in the plan. */
  summary: z.string().min(1).max(140),
  /** What the skill is and why hiring teams look for it, in a short paragraph. */
  explanation: z.string().min(1),
  /** Skill ids that should be in place first. */
  prerequisites: z.array(z.string()).default([]),
  /** Audit check ids whose passing, in any of the builder's projects, shows the skill. */
  evidence: z.array(z.string()).min(1),
  /** Hours a builder starting from nothing typically spends to show the skill in a project. */
  effortHours: z.number().positive(),
  /** What each background usually brings; a background left out starts with a gap. */
  startingLevel: z.partialRecord(z.enum(backgrounds), z.enum(startingLevels)).default({}),
  /** Backgrounds for which this skill is the first gap to close. */
  firstFor: z.array(z.enum(backgrounds)).default([]),
  /** Roles for which the skill is core; for other roles it is planned as a stretch. */
  coreFor: z.array(z.enum(targetRoles)).min(1),
});
export type SkillFile = z.output<typeof skillFileSchema>;
