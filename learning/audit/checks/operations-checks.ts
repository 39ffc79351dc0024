import type { RunRecord } from '../../../pipelines/runs/run-record.ts';
import { sha256 } from '../../../portfolio/hash.ts';
import { type Check, fail, pass, withRun } from '../check.ts';
import type { ProjectEvidence } from '../project-evidence.ts';

export const reproducibleRun: Check = {
  id: 'reproducible-run',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const problems: string[] = [];
      if (!evidence.lockfile.present) problems.push(`there is no lockfile at ${evidence.lockfile.file}`);
      if (!run.inputs.projectFileSha256 || !run.inputs.dataset.sha256)
        problems.push('input hashes are missing');
      if (!Object.keys(run.versions).length) problems.push('library versions are not recorded');
      if (problems.length) {
        return fail(
          'Commit package-lock.json and rerun with `mlfolio run` so the run records its seed, input hashes and versions.',
          `Run ${run.runId}: ${problems.join('; ')}.`,
        );
      }
      if (projectChangedSince(run, evidence)) {
        return fail(
          `Run \`mlfolio run ${evidence.slug}\` so the published numbers come from the current project file.`,
          `${evidence.specFile} has changed since run ${run.runId}: its numbers no longer match the file.`,
        );
      }
      return pass(
        `Seed ${run.seed}; project file sha256 ${run.inputs.projectFileSha256.slice(0, 12)}…, dataset sha256 ${run.inputs.dataset.sha256.slice(0, 12)}….`,
        `Lockfile ${evidence.lockfile.file}; versions recorded: ${Object.entries(run.versions)
          .filter(([name]) => !['cpu', 'platform'].includes(name))
          .map(([name, version]) => `${name} ${version}`)
          .join(', ')}.`,
        `${run.stages.length} stages with content keys; ${run.stages.filter((stage) => stage.cached).length} reused from cache in this run.`,
      );
    }),
};

/**
 * Whether the project differs from the one the run used. Compared as the pipeline reads it
 * (validated and normalised), so a comment or a default written out changes nothing, exactly as
 * `mlfolio run` sees it; runs recorded before that hash existed compare the file's bytes.
 */
function projectChangedSince(run: RunRecord, evidence: ProjectEvidence): boolean {
  const recorded = run.inputs.projectSpecSha256;
  if (recorded !== undefined && evidence.specSha256 !== undefined) return evidence.specSha256 !== recorded;
  return evidence.specText !== undefined && sha256(evidence.specText) !== run.inputs.projectFileSha256;
}

export const inferencePath: Check = {
  id: 'inference-path',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const probe = evidence.inferenceProbe;
      if (!probe?.ok) {
        return fail(
          `Rerun \`mlfolio run ${evidence.slug} --force\` so the run folder holds a loadable artifact of ${run.best}.`,
          probe?.detail ?? `Run ${run.runId} has no artifact for ${run.best}.`,
        );
      }
      const serving = evidence.serving;
      const surfaces = [
        serving?.endpoint ? `an HTTP endpoint (\`${serving.endpoint}\`)` : undefined,
        serving?.demo ? `an in-browser demo (${serving.demo})` : undefined,
      ].filter((surface): surface is string => surface !== undefined);
      if (!surfaces.length) {
        return fail(
          `Put a model of run ${run.runId} in front of a reader: \`mlfolio serve ${evidence.slug}\` serves the deployed model, and the site publishes a demo page for every project that is not a draft.`,
          probe.detail,
          ...(serving?.gaps.length ? serving.gaps : ['No endpoint or demo serves it.']),
        );
      }
      const best = run.models.find((model) => model.id === run.best);
      return pass(
        probe.detail,
        `Served through ${surfaces.join(' and ')}.`,
        ...(serving?.gaps ?? []),
        ...(best
          ? [`Measured latency p50 ${best.timings.predictP50Us} µs, p99 ${best.timings.predictP99Us} µs.`]
          : []),
      );
    }),
};
