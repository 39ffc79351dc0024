import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readRegistration } from '../../experiments/pre-registration.ts';
import { type ExperimentReport, readExperimentReports } from '../../experiments/project-analysis.ts';
import { experimentPaths } from '../../experiments/project-experiments.ts';
import { type DecisionRecord, readDecisionRecords } from '../../operations/decision-record.ts';
import { type MonitoringRecord, readMonitoringRecords } from '../../operations/monitoring-record.ts';
import { type RunRecord, readLatestRun } from '../../pipelines/runs/run-record.ts';
import { forecastWith, type TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import { isMlfolioError } from '../../portfolio/errors.ts';
import { pathExists, readTextIfExists } from '../../portfolio/files.ts';
import { loadAnyProject, type ProjectHeader } from '../../portfolio/project-file/any-project.ts';
import { projectPaths, type Workspace } from '../../portfolio/workspace.ts';
import { draftReason } from '../../templates/draft-project.ts';
import { gatherLabellingEvidence, type LabellingTaskEvidence } from './labelling-evidence.ts';
import { detectServingSurfaces } from './serving-surfaces.ts';

/** Ways a reader can get a prediction from a model of the project's latest run. */
export interface ServingSurfaces {
  /** The command that serves it over HTTP, such as "mlfolio serve my-project". */
  endpoint?: string;
  /** Where the in-browser demo of it is published. */
  demo?: string;
  /** Why a surface does not serve it, one sentence each. */
  gaps: string[];
}

/**
 * Everything the audit looks at for one project, read once from disk. Checks are pure functions
 * of this, so they can be tested with hand-made evidence as well as real files.
 */
export interface ProjectEvidence {
  slug: string;
  specFile: string;
  /** The task the project file declares, read even when the file does not validate. */
  task: string | undefined;
  /** The tags the project file declares, read even when the file does not validate. */
  tags: string[];
  spec: ProjectHeader | undefined;
  /** sha256 of the validated, normalised project, when it loads: compared with the run's. */
  specSha256: string | undefined;
  /** Why the project cannot run yet, when it is a draft (see templates/draft-project.ts). */
  draft: string | undefined;
  /** Why the project file could not be loaded, if it could not. */
  specProblem: string | undefined;
  /** sha256 of the project file's current bytes, for comparing with the run that used it. */
  specText: string | undefined;
  runsDir: string;
  run: RunRecord | undefined;
  runProblem: string | undefined;
  /** Path of the latest run's folder, when there is a run. */
  runDir: string | undefined;
  writeup: TextFile;
  walkthrough: TextFile;
  lockfile: { file: string; present: boolean };
  /** How the latest run's models reach a reader; undefined without a run. */
  serving: ServingSurfaces | undefined;
  /** The best model's artifact from the latest run, put through the serving forward pass once. */
  inferenceProbe: InferenceProbe | undefined;
  /** The project's monitoring checks and retrain decisions (`mlfolio monitor`, `mlfolio retrain`), oldest first. */
  operations: OperationsEvidence;
  /** The project's labelling tasks, their label reports and their logs' current snapshots. */
  labelling: LabellingTaskEvidence[];
  /** The project's analysed experiments, each with its registration read and verified. */
  experiments: ExperimentEvidence[];
  /** Why the experiment records could not be read (a tampered registration, a broken report). */
  experimentsProblem: string | undefined;
}

export interface OperationsEvidence {
  monitoring: MonitoringRecord[];
  decisions: DecisionRecord[];
  /** Why the records could not be read (a hand-edited file). */
  problem: string | undefined;
}

export interface ExperimentEvidence {
  report: ExperimentReport;
  /** Content hash of the registration's latest entry (the hash chain verified on read). */
  registeredHash: string;
  registrationFile: string;
}

export interface InferenceProbe {
  file: string;
  ok: boolean;
  detail: string;
}

export interface TextFile {
  file: string;
  text: string | undefined;
}

export const walkthroughFile = (workspace: Workspace, slug: string) =>
  join(projectPaths(workspace, slug).dir, 'walkthrough.mdx');

export async function gatherEvidence(workspace: Workspace, slug: string): Promise<ProjectEvidence> {
  const paths = projectPaths(workspace, slug);
  // Messages show paths from the portfolio's root, as the builder sees them in the repository.
  const shown = (path: string) => relative(workspace.root, path) || path;
  const specText = await readTextIfExists(paths.specFile);
  let task: string | undefined;
  let tags: string[] = [];
  let rawSpec: unknown;
  try {
    const raw = parseYaml(specText ?? '') as {
      task?: unknown;
      tags?: unknown;
      version?: unknown;
      target?: { task?: unknown };
    } | null;
    task =
      typeof raw?.task === 'string'
        ? raw.task
        : raw?.version === 2 && typeof raw.target?.task === 'string'
          ? raw.target.task
          : raw
            ? // A version 1 file is the match-outcome project, upgraded on load to an ordinal task.
              'ordinal'
            : undefined;
    rawSpec = raw;
    if (Array.isArray(raw?.tags)) tags = raw.tags.filter((tag): tag is string => typeof tag === 'string');
  } catch {
    task = undefined;
  }
  const draft = await draftReason(workspace, slug);
  let spec: ProjectHeader | undefined;
  let specSha256: string | undefined;
  let specProblem: string | undefined;
  try {
    // A draft (its pages not collected yet) is validated too, so a broken file is reported now.
    const loaded = await loadAnyProject(workspace, slug);
    if (!draft) ({ spec, specSha256 } = loaded);
  } catch (error) {
    specProblem = isMlfolioError(error) ? error.message : String(error);
  }
  let run: RunRecord | undefined;
  let runProblem: string | undefined;
  try {
    run = await readLatestRun(paths.runsDir);
  } catch (error) {
    runProblem = isMlfolioError(error) ? error.message : String(error);
  }
  const lockfile = join(workspace.root, 'package-lock.json');
  return {
    slug,
    specFile: shown(paths.specFile),
    task,
    tags,
    spec,
    specSha256,
    draft,
    specProblem,
    specText,
    runsDir: shown(paths.runsDir),
    run,
    runProblem,
    runDir: run ? shown(join(paths.runsDir, run.runId)) : undefined,
    writeup: { file: shown(paths.writeupFile), text: await readTextIfExists(paths.writeupFile) },
    walkthrough: {
      file: shown(walkthroughFile(workspace, slug)),
      text: await readTextIfExists(walkthroughFile(workspace, slug)),
    },
    lockfile: { file: shown(lockfile), present: await pathExists(lockfile) },
    serving: run
      ? await detectServingSurfaces(workspace, slug, run, { draft: draft !== undefined })
      : undefined,
    inferenceProbe: run ? await probeInference(join(paths.runsDir, run.runId), run, shown) : undefined,
    operations: await operationsEvidence(workspace, slug),
    ...(await experimentEvidence(workspace, slug, shown)),
    labelling: await gatherLabellingEvidence(workspace, slug, rawSpec, shown),
  };
}

async function operationsEvidence(workspace: Workspace, slug: string): Promise<OperationsEvidence> {
  try {
    const [monitoring, decisions] = await Promise.all([
      readMonitoringRecords(workspace, slug),
      readDecisionRecords(workspace, slug),
    ]);
    return { monitoring, decisions, problem: undefined };
  } catch (error) {
    return {
      monitoring: [],
      decisions: [],
      problem: isMlfolioError(error) ? error.message : String(error),
    };
  }
}

async function experimentEvidence(
  workspace: Workspace,
  slug: string,
  shown: (path: string) => string,
): Promise<Pick<ProjectEvidence, 'experiments' | 'experimentsProblem'>> {
  try {
    const experiments: ExperimentEvidence[] = [];
    for (const report of await readExperimentReports(workspace, slug)) {
      const paths = experimentPaths(workspace, slug, report.experiment.key);
      const registration = await readRegistration(paths.registry, report.experiment.key);
      experiments.push({
        report,
        registeredHash: registration.entries.at(-1)!.specHash,
        registrationFile: shown(paths.registration),
      });
    }
    return { experiments, experimentsProblem: undefined };
  } catch (error) {
    return { experiments: [], experimentsProblem: isMlfolioError(error) ? error.message : String(error) };
  }
}

/**
 * Loads the best model's artifact and runs one prediction through `forecastWith`, the
 * forward pass the server and the demo share, with every feature at zero.
 */
async function probeInference(
  runDir: string,
  run: RunRecord,
  shown: (path: string) => string,
): Promise<InferenceProbe> {
  const best = run.models.find((model) => model.id === run.best);
  const path = join(runDir, best?.artifact ?? `models/${run.best}.json`);
  const file = shown(path);
  const text = await readTextIfExists(path);
  if (text === undefined) return { file, ok: false, detail: `The artifact ${file} is missing.` };
  try {
    if (run.schemaVersion === 2) {
      const artifact = JSON.parse(text) as TaskArtifact;
      const forecast = forecastWith(
        artifact,
        artifact.featureNames.map(() => 0),
      );
      const valid =
        forecast.kind === 'probabilities'
          ? forecast.p.length === run.task.classes.length &&
            Math.abs(forecast.p.reduce((sum, p) => sum + p, 0) - 1) < 1e-6
          : Number.isFinite(forecast.mean);
      return valid
        ? {
            file,
            ok: true,
            detail: `${run.best} answers a probe prediction through the serving forward pass.`,
          }
        : { file, ok: false, detail: `The artifact ${file} returned an invalid ${forecast.kind} forecast.` };
    }
    return {
      file,
      ok: false,
      detail: `${file} was trained by the version 1 pipeline, which mlfolio no longer has; \`mlfolio run\` records a run the server and the demo read.`,
    };
  } catch (error) {
    return {
      file,
      ok: false,
      detail: `The artifact ${file} cannot make a prediction: ${(error as Error).message}`,
    };
  }
}
