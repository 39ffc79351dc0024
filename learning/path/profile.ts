import { join } from 'node:path';
import { z } from 'zod';
import type { Workspace } from '../../portfolio/workspace.ts';
import { readYamlFile } from '../../portfolio/yaml-file.ts';

/** Where builders come from; each starts with different gaps (see PRODUCT.md). */
export const backgrounds = [
  'software-engineer',
  'data-scientist-analytics',
  'data-scientist-algorithms',
  'other',
] as const;
export type Background = (typeof backgrounds)[number];

export const backgroundLabels: Record<Background, string> = {
  'software-engineer': 'software engineer',
  'data-scientist-analytics': 'data scientist (analytics)',
  'data-scientist-algorithms': 'data scientist (algorithms)',
  other: 'other background',
};

/** The roles a plan can aim at; a skill file says for which of them it is core. */
export const targetRoles = ['ml-engineer', 'ml-platform-engineer', 'applied-ml-engineer'] as const;
export type TargetRole = (typeof targetRoles)[number];

export const targetRoleLabels: Record<TargetRole, string> = {
  'ml-engineer': 'ML engineer',
  'ml-platform-engineer': 'ML platform engineer',
  'applied-ml-engineer': 'applied ML engineer',
};

const isoDate = z.iso.date();

export const profileSchema = z.strictObject({
  background: z.enum(backgrounds),
  /** Sports or fields the builder cares about, most important first; the first known one sets the focus area. */
  interests: z.array(z.string().min(1)).min(1),
  hoursPerWeek: z.number().positive().max(80),
  targetRole: z.enum(targetRoles).default('ml-engineer'),
  /** The day the plan starts; default: today. */
  startDate: isoDate.optional(),
});
export type Profile = z.output<typeof profileSchema>;

export const profileFile = (workspace: Workspace) => join(workspace.contentDir, 'profile.yaml');

export async function loadProfile(workspace: Workspace, file = profileFile(workspace)): Promise<Profile> {
  return readYamlFile(file, profileSchema, {
    missing: {
      code: 'E_PROFILE_MISSING',
      message: `There is no learning profile at ${file}.`,
      hint: 'Create content/profile.yaml with background, interests, hoursPerWeek and targetRole (see the README, "Learning path").',
    },
    invalidCode: 'E_PROFILE_INVALID',
  });
}
