import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { specHash } from '../../pipelines/runs/spec-hash.ts';
import { loadProject, type Project } from '../project-spec.ts';
import { projectPaths, type Workspace } from '../workspace.ts';
import { type LoadedProject, loadProjectFile } from './load.ts';

/** What every page and report says about a project, whichever version its file is. */
export interface ProjectHeader {
  title: string;
  summary: string;
  question: string;
  whyItMatters: string;
  tags: string[];
}

/**
 * A project of either file version. Version 1 files (the match-outcome pipeline) run on the
 * original pipeline; version 2 files on the declared engine. Readers that only need the header use
 * `spec`.
 */
export type AnyProject = (
  | ({ version: 1; legacy: Project } & Omit<Project, 'spec'>)
  | ({ version: 2; declared: LoadedProject } & Omit<LoadedProject, 'file' | 'version'>)
) & {
  spec: ProjectHeader;
  /** sha256 of the validated, normalised project: what a run depends on (see `specHash`). */
  specSha256: string;
};

/** The file version of a project: 2 when it says `version: 2`, else 1. Unreadable files count as 1 (the loader reports them). */
export async function projectFileVersion(workspace: Workspace, slug: string): Promise<1 | 2> {
  try {
    const raw = parseYaml(await readFile(projectPaths(workspace, slug).specFile, 'utf8')) as {
      version?: unknown;
    } | null;
    return raw?.version === 2 ? 2 : 1;
  } catch {
    return 1;
  }
}

export async function loadAnyProject(
  workspace: Workspace,
  slug: string,
  options: { notice?: (message: string) => void } = {},
): Promise<AnyProject> {
  if ((await projectFileVersion(workspace, slug)) === 2) {
    const declared = await loadProjectFile(workspace, slug, options);
    const { file, version: _version, ...rest } = declared;
    return { version: 2, declared, ...rest, spec: headerOf(file), specSha256: declared.normalisedSha256 };
  }
  const legacy = await loadProject(workspace, slug);
  return { version: 1, legacy, ...legacy, spec: headerOf(legacy.spec), specSha256: specHash(legacy.spec) };
}

function headerOf(spec: ProjectHeader): ProjectHeader {
  return {
    title: spec.title,
    summary: spec.summary,
    question: spec.question,
    whyItMatters: spec.whyItMatters,
    tags: [...spec.tags],
  };
}
