import { type Check, fail, pass, withRun } from '../check.ts';

/**
 * An online experiment counts when it was pre-registered (an intact hash chain), analysed as
 * registered (the report's declaration hash is the registration's latest), had outcomes for its
 * units, passed or reported its sample-ratio check, and reached a decision with a reason.
 */
export const experimentAnalysed: Check = {
  id: 'experiment-analysed',
  run: (evidence) =>
    withRun(evidence, () => {
      if (evidence.experimentsProblem) {
        return fail(
          'Restore the experiment records from version control, or rewrite the analysis with `mlfolio experiment analyze`.',
          evidence.experimentsProblem,
        );
      }
      const hint = `Declare an experiment under \`experiments:\` in ${evidence.specFile}, start it (\`mlfolio experiment start ${evidence.slug} <key>\`), serve or replay it (\`mlfolio replay ${evidence.slug} --experiment <key>\`) and analyse it.`;
      if (evidence.experiments.length === 0) {
        return fail(hint, 'No analysed experiment: the project compares its models offline only.');
      }
      const problems: string[] = [];
      for (const { report, registeredHash, registrationFile } of evidence.experiments) {
        const key = report.experiment.key;
        const units = Object.values(report.analysis.analysedUnits).reduce((a, b) => a + b, 0);
        if (report.registration.specHash !== registeredHash) {
          problems.push(
            `Experiment ${key} was analysed as a declaration other than the one registered in ${registrationFile}.`,
          );
          continue;
        }
        if (units === 0) {
          problems.push(`Experiment ${key} has no unit with an outcome.`);
          continue;
        }
        const srm = report.analysis.sampleRatio;
        const primary = report.analysis.arms
          .flatMap((arm) => arm.metrics.map((m) => ({ arm: arm.arm, m })))
          .find(({ m }) => m.role === 'primary');
        return pass(
          `Experiment ${key}: pre-registered ${report.registration.startedAt.slice(0, 10)} (hash ${registeredHash.slice(0, 12)}…, ${report.registration.amendments.length} amendment(s)); ${units} units analysed.`,
          `Sample-ratio check χ² = ${srm.chiSquare.toFixed(2)}, p = ${srm.pValue.toPrecision(3)}${srm.mismatch ? ' (mismatch: verdict blocked)' : ''}.`,
          ...(primary
            ? [
                `${primary.arm} − ${report.analysis.control} on ${primary.m.metric}: ${primary.m.difference.toFixed(4)} [${primary.m.interval[0].toFixed(4)}, ${primary.m.interval[1].toFixed(4)}]${primary.m.cuped ? `, CUPED variance −${(100 * primary.m.cuped.varianceReduction).toFixed(1)}%` : ''}.`,
              ]
            : []),
          `Decision: ${report.analysis.decision.decision} — ${report.analysis.decision.reason}`,
        );
      }
      return fail(
        `Reanalyse with \`mlfolio experiment analyze ${evidence.slug} <key>\`. ${hint}`,
        ...problems,
      );
    }),
};
