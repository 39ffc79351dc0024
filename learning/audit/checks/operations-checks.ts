import type { Estimate, RunRecord } from '../../../pipelines/runs/run-record.ts';
import { type TaskMetricId, taskMetrics } from '../../../pipelines/tasks/metrics.ts';
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

export const modelMonitored: Check = {
  id: 'model-monitored',
  run: (evidence) =>
    withRun(evidence, () => {
      const { monitoring, decisions, problem } = evidence.operations;
      const slug = evidence.slug;
      if (problem) {
        return fail(
          `Restore or delete the hand-edited record, then run \`mlfolio monitor ${slug}\` again.`,
          problem,
        );
      }
      const checked = monitoring.filter((record) => record.status !== 'no-new-data' && record.performance);
      const latestCheck = checked.at(-1);
      const latestDecision = decisions.at(-1);
      const found: string[] = [];
      if (latestCheck) {
        const performance = latestCheck.performance!;
        const primary = performance.current[performance.primaryMetric]!;
        found.push(
          `${checked.length} monitoring check(s) on new data; the latest (${latestCheck.checkedAt.slice(0, 10)}) found the model ${latestCheck.status} on ${latestCheck.current?.rows ?? 0} new events: ${describeMetric(performance.primaryMetric)} ${primary.value.toFixed(4)}${describeInterval(primary)}, drift of ${latestCheck.drift?.features.length ?? 0} feature(s) measured.`,
        );
      }
      if (latestDecision) {
        found.push(
          `${decisions.length} retrain decision(s); the latest (${latestDecision.decidedAt.slice(0, 10)}) ${latestDecision.verdict === 'promote' ? 'promoted' : 'kept'} on ${latestDecision.heldOut.rows} held-out events: ${latestDecision.reason}`,
        );
      }
      const missing = [
        latestCheck
          ? undefined
          : monitoring.length
            ? 'Every monitoring check found no event resolved after the deployed model’s data.'
            : 'No monitoring check recorded.',
        latestDecision ? undefined : 'No retrain decision recorded.',
      ].filter((line): line is string => line !== undefined);
      if (missing.length) {
        const commands = [
          latestCheck ? undefined : `\`mlfolio monitor ${slug}\` once newer events have resolved`,
          latestDecision ? undefined : `\`mlfolio retrain ${slug}\``,
        ].filter((command): command is string => command !== undefined);
        return fail(
          `Run ${commands.join(' and ')}: they check the deployed model on data that arrived after it was trained and decide, with a paired interval, whether a retrained model replaces it.`,
          ...found,
          ...missing,
        );
      }
      return pass(...found);
    }),
};

function describeMetric(metric: string): string {
  return taskMetrics[metric as TaskMetricId]?.label ?? metric;
}

function describeInterval(estimate: Estimate): string {
  return estimate.lower === undefined || estimate.upper === undefined
    ? ''
    : ` (95% CI ${estimate.lower.toFixed(4)}–${estimate.upper.toFixed(4)})`;
}
