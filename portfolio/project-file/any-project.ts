import type { Workspace } from '../workspace.ts';
import { type LoadedProject, loadProjectFile } from './load.ts';

/** What every page and report says about a project. */
export interface ProjectHeader {
  title: string;
  summary: string;
  question: string;
  whyItMatters: string;
  tags: string[];
}

/**
 * A project as every command and page reads it: its version 2 declaration (a version 1 file is
 * upgraded on load) with the header the pages show. `version` is the engine's, always 2; the file's
 * own version is `declared.version`.
 */
export type AnyProject = { version: 2; declared: LoadedProject } & Omit<LoadedProject, 'file' | 'version'> & {
    spec: ProjectHeader;
    /** sha256 of the validated, normalised project: what a run depends on. */
    specSha256: string;
  };

/**
 * Loads a project of either file version for the engine: a version 1 file is upgraded to version 2
 * with a one-line notice (`notice`, else once per file on stderr; see `loadProjectFile`).
 */
export async function loadAnyProject(
  workspace: Workspace,
  slug: string,
  options: { notice?: (message: string) => void } = {},
): Promise<AnyProject> {
  const declared = await loadProjectFile(workspace, slug, options);
  const { file, version: _version, ...rest } = declared;
  return { version: 2, declared, ...rest, spec: headerOf(file), specSha256: declared.normalisedSha256 };
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
