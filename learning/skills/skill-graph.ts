import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MlfolioError } from '../../portfolio/errors.ts';
import { slugPattern } from '../../portfolio/project-folders.ts';
import { didYouMean } from '../../portfolio/suggest.ts';
import { parseWith } from '../../portfolio/validate.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import { parseYamlText } from '../../portfolio/yaml-file.ts';
import { type CheckId, checkIds, isCheckId } from '../audit/check-catalogue.ts';
import { type SkillFile, skillFileSchema } from './skill-file.ts';

export interface Skill extends Omit<SkillFile, 'evidence'> {
  id: string;
  file: string;
  evidence: CheckId[];
}

/** The validated skill graph: every prerequisite exists and there is no cycle. */
export interface SkillGraph {
  /** Skills in a prerequisite-respecting order (each after all of its prerequisites), ties by id. */
  skills: Skill[];
  byId: ReadonlyMap<string, Skill>;
}

export const skillsDir = (workspace: Workspace) => join(workspace.contentDir, 'skills');

export async function loadSkillGraph(workspace: Workspace): Promise<SkillGraph> {
  const dir = skillsDir(workspace);
  let names: string[];
  try {
    names = (await readdir(dir)).filter((name) => /\.ya?ml$/.test(name)).sort();
  } catch (error) {
    throw new MlfolioError(
      {
        code: 'E_SKILLS_MISSING',
        message: `The skill graph folder ${dir} cannot be read.`,
        hint: 'Restore content/skills/ from the repository; the learning path and the audit need it.',
      },
      { cause: error },
    );
  }
  const skills: Skill[] = [];
  for (const name of names) skills.push(await readSkill(join(dir, name)));
  return buildSkillGraph(skills);
}

async function readSkill(file: string): Promise<Skill> {
  const id = basename(file).replace(/\.ya?ml$/, '');
  if (!slugPattern.test(id)) {
    throw new MlfolioError({
      code: 'E_SKILL_FILE_INVALID',
      message: `${file}: the file name "${id}" is not a valid skill id.`,
      hint: 'Name skill files in lower-case words joined by hyphens, such as evaluation-in-practice.yaml.',
    });
  }
  const raw = parseYamlText(await readFile(file, 'utf8'), file, 'E_SKILL_FILE_INVALID');
  const spec = parseWith(skillFileSchema, raw, file, 'E_SKILL_FILE_INVALID');
  const evidence: CheckId[] = [];
  for (const [index, check] of spec.evidence.entries()) {
    if (!isCheckId(check)) {
      throw new MlfolioError({
        code: 'E_SKILL_FILE_INVALID',
        message: `${file}: evidence[${index}] names the audit check "${check}", which does not exist.`,
        hint: `${didYouMean(check, checkIds)} The checks are listed in the README, "Audit".`,
      });
    }
    evidence.push(check);
  }
  return { ...spec, id, file, evidence };
}

/**
 * Checks references and cycles and orders the skills. Errors name the file to fix: a dangling
 * prerequisite names the file that refers to it; a cycle names every file on it.
 */
export function buildSkillGraph(skills: readonly Skill[]): SkillGraph {
  const byId = new Map(skills.map((skill) => [skill.id, skill]));
  const ids = [...byId.keys()];
  for (const skill of skills) {
    for (const [index, prerequisite] of skill.prerequisites.entries()) {
      if (prerequisite === skill.id) {
        throw new MlfolioError({
          code: 'E_SKILL_GRAPH_CYCLE',
          message: `${skill.file}: prerequisites[${index}] is the skill itself.`,
          hint: 'A skill cannot be its own prerequisite; remove that entry.',
        });
      }
      if (!byId.has(prerequisite)) {
        throw new MlfolioError({
          code: 'E_SKILL_PREREQUISITE_UNKNOWN',
          message: `${skill.file}: prerequisites[${index}] is "${prerequisite}", but there is no skill file ${prerequisite}.yaml.`,
          hint: `${didYouMean(prerequisite, ids)} Prerequisites are skill ids, the names of files in content/skills/.`,
        });
      }
    }
  }
  const cycle = findCycle(skills, byId);
  if (cycle) {
    throw new MlfolioError({
      code: 'E_SKILL_GRAPH_CYCLE',
      message: `The skill graph has a cycle: ${cycle.map((skill) => skill.id).join(' → ')}. Files: ${cycle
        .slice(0, -1)
        .map((skill) => skill.file)
        .join(', ')}.`,
      hint: 'Remove one of these prerequisites so that every skill can be learnt after its prerequisites.',
    });
  }
  return { skills: orderByPrerequisites(skills, byId, (a, b) => a.id.localeCompare(b.id)), byId };
}

/**
 * Kahn's algorithm: repeatedly takes, among the skills whose prerequisites are all placed, the one
 * `compare` ranks first. Assumes the graph is acyclic.
 */
export function orderByPrerequisites(
  skills: readonly Skill[],
  byId: ReadonlyMap<string, Skill>,
  compare: (a: Skill, b: Skill) => number,
): Skill[] {
  const placed = new Set<string>();
  const ordered: Skill[] = [];
  const pending = [...skills];
  while (pending.length) {
    const ready = pending.filter((skill) =>
      skill.prerequisites.every((id) => placed.has(id) || !byId.has(id)),
    );
    const next = ready.sort(compare)[0];
    if (!next) break;
    ordered.push(next);
    placed.add(next.id);
    pending.splice(pending.indexOf(next), 1);
  }
  return ordered;
}

/** Every skill `id` depends on, directly or not. */
export function ancestorsOf(id: string, byId: ReadonlyMap<string, Skill>): Set<string> {
  const seen = new Set<string>();
  const stack = [...(byId.get(id)?.prerequisites ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(byId.get(next)?.prerequisites ?? []));
  }
  return seen;
}

function findCycle(skills: readonly Skill[], byId: ReadonlyMap<string, Skill>): Skill[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: Skill[] = [];
  const visit = (skill: Skill): Skill[] | undefined => {
    if (state.get(skill.id) === 'done') return undefined;
    if (state.get(skill.id) === 'visiting') {
      return [...path.slice(path.findIndex((s) => s.id === skill.id)), skill];
    }
    state.set(skill.id, 'visiting');
    path.push(skill);
    for (const id of skill.prerequisites) {
      const found = visit(byId.get(id)!);
      if (found) return found;
    }
    path.pop();
    state.set(skill.id, 'done');
    return undefined;
  };
  for (const skill of [...skills].sort((a, b) => a.id.localeCompare(b.id))) {
    const found = visit(skill);
    if (found) return found;
  }
  return undefined;
}
