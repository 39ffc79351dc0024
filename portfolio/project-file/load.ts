import { projectSpecSchema } from '../../templates/match-outcome/project-file-v1.ts';
import { upgradeV1 } from '../../templates/match-outcome/upgrade-v1.ts';
import { MlfolioError } from '../errors.ts';
import { hashValue } from '../hash.ts';
import { readProjectText } from '../project-folders.ts';
import { parseWith } from '../validate.ts';
import type { Workspace } from '../workspace.ts';
import { parseYamlText } from '../yaml-file.ts';
import { checkProjectFile } from './check-project.ts';
import { type ProjectFile, projectFileSchema } from './schema.ts';

/** A project as the engine runs it: its version 2 declaration, validated and normalised. */
export interface LoadedProject {
  slug: string;
  file: ProjectFile;
  specFile: string;
  /** The file's bytes as written. */
  specText: string;
  /** The version the file was written in; a version 1 file is upgraded on load. */
  version: 1 | 2;
  /**
   * sha256 of the validated, normalised declaration: what a run depends on. A comment, key order
   * or a default written out does not change it; any change of meaning does.
   */
  normalisedSha256: string;
}

/**
 * Loads `content/projects/<slug>/project.yaml`: a version 2 file is validated as it is; a version
 * 1 file (no `version` key) is validated as version 1, then upgraded and validated again, and
 * `notice` is told once (without one, the notice goes to stderr once per file and process). Cross-field problems (a model kind a task cannot do, an unknown model id,
 * a metric the task does not allow) are errors naming the field and the fix.
 */
export async function loadProjectFile(
  workspace: Workspace,
  slug: string,
  options: { notice?: (message: string) => void } = {},
): Promise<LoadedProject> {
  const { specFile, specText } = await readProjectText(workspace, slug);
  return parseProjectText(slug, specText, specFile, options);
}

export function parseProjectText(
  slug: string,
  specText: string,
  specFile: string,
  options: { notice?: (message: string) => void } = {},
): LoadedProject {
  const raw = parseYamlText(specText, specFile, 'E_PROJECT_FILE_INVALID');
  const version = isObject(raw) && raw.version === 2 ? 2 : isObject(raw) && raw.version !== undefined ? 0 : 1;
  if (version === 0) {
    throw new MlfolioError({
      code: 'E_PROJECT_FILE_INVALID',
      message: `${specFile}: version ${JSON.stringify((raw as { version: unknown }).version)} is not a project file version this mlfolio reads.`,
      hint: 'Write version: 2 (or leave version out for a version 1 match-outcome file).',
    });
  }
  let input: unknown = raw;
  if (version === 1) {
    const v1 = parseWith(projectSpecSchema, raw, specFile, 'E_PROJECT_FILE_INVALID');
    input = upgradeV1(v1);
    (options.notice ?? noticeOncePerFile(specFile))(
      `${specFile} is a version 1 project file; read as version 2 (see the README, "Project files", to write it as version 2).`,
    );
  }
  const file = parseWith(projectFileSchema, input, specFile, 'E_PROJECT_FILE_INVALID');
  checkProjectFile(file, specFile);
  // Experiments and monitoring thresholds are about serving and watching the run's models, not
  // making them: declaring either keeps the run.
  const { experiments: _experiments, monitoring: _monitoring, ...made } = file;
  return { slug, file, specFile, specText, version, normalisedSha256: hashValue(made) };
}

const noticed = new Set<string>();

// A command may load the same file several times (the audit, the site's pages): one line is enough.
function noticeOncePerFile(specFile: string): (message: string) => void {
  return (message) => {
    if (noticed.has(specFile)) return;
    noticed.add(specFile);
    console.warn(message);
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
