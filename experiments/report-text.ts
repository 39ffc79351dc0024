import type { ExperimentAnalysis } from './analysis.ts';
import type { ExperimentPlan } from './experiment-plan.ts';
import type { ExperimentStatus } from './experiment-status.ts';

/** Plain-text renderings of a plan, a status and an analysis, for the terminal. */

function num(value: number | undefined, digits = 4): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return Math.abs(value) >= 1000 ? value.toFixed(0) : Number(value.toPrecision(digits)).toString();
}

export function formatPlan(plan: ExperimentPlan): string {
  const lines = [
    `Experiment ${plan.experiment}: planned ${plan.plannedUnits} units, MDE ${plan.declaredEffect}, α ${plan.alpha}, power ${plan.targetPower}`,
    `From ${plan.inputs.source}: variance ${num(plan.inputs.variance)}, CUPED covariate ρ ${num(plan.inputs.cupedCorrelation, 3)}, arms' pair ρ ${num(plan.inputs.pairCorrelation, 3)}, ${plan.inputs.unitsPerWeek ? `${num(plan.inputs.unitsPerWeek, 3)} units/week` : 'units/week unknown'}`,
    '',
    'design                    power at MDE   MDE at planned n   units for MDE   weeks',
  ];
  for (const d of plan.designs) {
    const name = `${d.design === 'ab' ? 'A/B' : 'shadow (paired)'}${d.cuped ? ' + CUPED' : ''}`;
    lines.push(
      `${name.padEnd(26)}${num(d.power, 3).padStart(12)}   ${num(d.minimumDetectableEffect).padStart(16)}   ${String(d.unitsNeeded).padStart(13)}   ${num(d.weeksNeeded, 3).padStart(5)}`,
    );
  }
  return lines.join('\n');
}

export function formatStatus(status: ExperimentStatus): string {
  const srm = status.sampleRatio;
  const lines = [
    `Experiment ${status.experiment} (${status.mode}): ${(100 * status.progress).toFixed(1)}% of the planned units`,
    `Units per arm: ${Object.entries(status.units)
      .map(([arm, n]) => `${arm} ${n}`)
      .join(', ')}`,
    `Sample ratio: χ² ${num(srm.chiSquare)}, p ${num(srm.pValue, 3)}${srm.mismatch ? ' — MISMATCH (p < 0.001): the verdict is blocked' : ' — ok'}`,
    `Failed predictions: ${Object.entries(status.errors)
      .map(([arm, e]) => `${arm} ${e.failed}/${e.predictions}`)
      .join(', ')}`,
    `Units entering per day: ${status.unitsPerDay.map((d) => `${d.day} ${d.units}`).join(', ') || 'none yet'}`,
  ];
  if (status.tornLastLine) lines.push('The log’s last line was cut short by a crash and skipped.');
  return lines.join('\n');
}

export function formatAnalysis(analysis: ExperimentAnalysis): string {
  const srm = analysis.sampleRatio;
  const lines = [
    `Experiment ${analysis.experiment} (${analysis.mode}), control ${analysis.control}`,
    `Units exposed: ${Object.entries(analysis.exposedUnits)
      .map(([arm, n]) => `${arm} ${n}`)
      .join(', ')}; with outcomes: ${Object.entries(analysis.analysedUnits)
      .map(([arm, n]) => `${arm} ${n}`)
      .join(', ')}; awaiting outcome ${analysis.awaitingOutcome}`,
    `Sample ratio: χ² ${num(srm.chiSquare)}, p ${num(srm.pValue, 3)}${srm.mismatch ? ' — MISMATCH' : ' — ok'}`,
  ];
  for (const arm of analysis.arms) {
    lines.push('', `${arm.arm} against ${analysis.control}:`);
    for (const m of arm.metrics) {
      lines.push(
        `  ${m.role.padEnd(9)} ${m.metric}${m.method === 'ratio' ? ' (ratio)' : ''}: ${num(m.control)} → ${num(m.treatment)}, difference ${num(m.difference)} [${num(m.interval[0])}, ${num(m.interval[1])}] (${m.method}), p ${num(m.pValue, 3)}, adjusted ${num(m.adjustedPValue, 3)} (${analysis.multipleTesting})`,
      );
      if (m.cuped) {
        lines.push(
          `            CUPED on ${m.cuped.covariate}: ρ ${num(m.cuped.correlation, 3)}, variance −${(100 * m.cuped.varianceReduction).toFixed(1)}%, θ ${num(m.cuped.theta)}`,
        );
      }
    }
    for (const g of arm.guardrails) lines.push(`  guardrail ${g.guardrail}: ${g.status} — ${g.detail}`);
    const s = arm.sequential;
    if (s.alwaysValid) {
      lines.push(
        `  always-valid: p ${num(s.alwaysValid.pValue, 3)}, interval [${num(s.alwaysValid.interval[0])}, ${num(s.alwaysValid.interval[1])}] after ${s.alwaysValid.looks} looks`,
      );
    }
    for (const look of s.looks ?? []) {
      lines.push(
        `  look at ${look.units} units: |z| ${num(Math.abs(look.z), 3)} vs boundary ${num(look.boundary, 4)}${look.crossed ? ' — crossed' : ''}`,
      );
    }
    lines.push(`  decision: ${arm.decision.decision} — ${arm.decision.reason}`);
  }
  lines.push(
    '',
    `Decision: ${analysis.decision.decision}${analysis.decision.arm && analysis.decision.decision === 'ship' ? ` ${analysis.decision.arm}` : ''} — ${analysis.decision.reason}`,
  );
  return lines.join('\n');
}
