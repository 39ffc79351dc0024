import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIds } from '../../learning/audit/check-catalogue.ts';
import { loadSkillGraph, skillsDir } from '../../learning/skills/skill-graph.ts';
import { MlfolioError } from '../../portfolio/errors.ts';
import { disposableWorkspaces } from './temp-workspace.ts';

const required = [
  'collecting-data',
  'modelling',
  'evaluation-in-practice',
  'training-infrastructure',
  'inference-infrastructure',
  'annotation-infrastructure',
  'explainability',
  'feature-stores',
  'experimentation',
  'production-code',
  'communicating-impact',
];

const workspace = disposableWorkspaces();

async function loadError(ws: Awaited<ReturnType<typeof workspace>>): Promise<MlfolioError> {
  const error = await loadSkillGraph(ws).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(MlfolioError);
  return error as MlfolioError;
}

describe('the skill graph in content/skills', () => {
  it('holds every skill an ML engineer is hired for, each after its prerequisites', async () => {
    const graph = await loadSkillGraph(await workspace());
    expect(graph.skills.map((s) => s.id).sort()).toEqual([...required].sort());
    const seen = new Set<string>();
    for (const skill of graph.skills) {
      for (const prerequisite of skill.prerequisites) expect(seen).toContain(prerequisite);
      seen.add(skill.id);
    }
  });

  it('names only audit checks that exist as evidence, and every check proves some skill', async () => {
    const graph = await loadSkillGraph(await workspace());
    const used = new Set(graph.skills.flatMap((skill) => skill.evidence));
    expect([...used].every((id) => checkIds.includes(id))).toBe(true);
    expect(checkIds.filter((id) => !used.has(id))).toEqual([]);
  });

  it('fails naming the file and the nearest skill when a prerequisite does not exist', async () => {
    const ws = await workspace();
    const file = join(skillsDir(ws), 'explainability.yaml');
    const text = await readFile(file, 'utf8');
    await writeFile(
      file,
      text.replace('prerequisites: [evaluation-in-practice]', 'prerequisites: [evaluation-in-practise]'),
    );
    const error = await loadError(ws);
    expect(error.code).toBe('E_SKILL_PREREQUISITE_UNKNOWN');
    expect(error.message).toContain(file);
    expect(error.message).toContain('prerequisites[0]');
    expect(error.hint).toContain('Did you mean "evaluation-in-practice"?');
  });

  it('fails naming every file on a cycle', async () => {
    const ws = await workspace();
    const file = join(skillsDir(ws), 'collecting-data.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('prerequisites: []', 'prerequisites: [explainability]'),
    );
    const error = await loadError(ws);
    expect(error.code).toBe('E_SKILL_GRAPH_CYCLE');
    for (const id of ['collecting-data', 'modelling', 'evaluation-in-practice', 'explainability']) {
      expect(error.message).toContain(join(skillsDir(ws), `${id}.yaml`));
    }
  });

  it('fails naming the file and field when evidence names an unknown check', async () => {
    const ws = await workspace();
    const file = join(skillsDir(ws), 'explainability.yaml');
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace('[explanation-present]', '[explanations-present]'),
    );
    const error = await loadError(ws);
    expect(error.message).toContain(`${file}: evidence[0]`);
    expect(error.hint).toContain('Did you mean "explanation-present"?');
  });

  it('rejects a misspelt field with the field path and a suggestion', async () => {
    const ws = await workspace();
    const file = join(skillsDir(ws), 'modelling.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('effortHours:', 'effortHour:'));
    const error = await loadError(ws);
    expect(error.code).toBe('E_SKILL_FILE_INVALID');
    expect(error.message).toContain(file);
    expect(error.message).toContain('effortHour: unknown field. Did you mean "effortHours"?');
  });

  it('reports a missing skills folder with what to do', async () => {
    const ws = await workspace();
    await rm(skillsDir(ws), { recursive: true });
    await mkdir(join(ws.contentDir, 'other'), { recursive: true });
    const error = await loadError(ws);
    expect(error.code).toBe('E_SKILLS_MISSING');
    expect(error.hint).toContain('content/skills/');
  });
});
