import type { ModelResult, RunRecord } from '../../pipelines/runs/run-record.ts';
import { requireModel } from './portfolio.ts';

type Comparison = NonNullable<RunRecord['comparisons']>[number];
type Impact = NonNullable<RunRecord['impact']>;
type Gain = Impact['gains'][number];

/** The facts every page tells about a run, derived once so pages agree with each other. */
export interface RunFacts {
  run: RunRecord;
  metric: string;
  best: ModelResult;
  baseline: ModelResult;
  /** The best model's paired comparison with the best baseline, when the pipeline recorded one. */
  bestVsBaseline: Comparison | undefined;
  /** Candidates (non-baselines), in run order. */
  candidates: ModelResult[];
  impact: Impact | undefined;
  /** The gain of the model's policy over the status quo, when impact was measured. */
  headlineGain: Gain | undefined;
  fastest: ModelResult;
  smallest: ModelResult;
}

export function runFacts(run: RunRecord, where: string): RunFacts {
  const best = requireModel(run, run.best, where);
  const baseline = requireModel(run, run.bestBaseline, where);
  const impact = run.impact;
  const headlineGain = impact?.gains.find((gain) => gain.over === impact.statusQuo) ?? impact?.gains[0];
  const byLatency = [...run.models].sort((a, b) => a.timings.predictP50Us - b.timings.predictP50Us);
  const bySize = [...run.models].sort((a, b) => a.sizeBytes - b.sizeBytes);
  return {
    run,
    metric: run.task.primaryMetric,
    best,
    baseline,
    bestVsBaseline: comparisonOf(run, best.id),
    candidates: run.models.filter((m) => !m.baseline),
    impact,
    headlineGain,
    fastest: byLatency[0]!,
    smallest: bySize[0]!,
  };
}

export function policyLabel(impact: Impact, id: string): string {
  return impact.policies.find((p) => p.id === id)?.label ?? id;
}

/** A model's paired comparison with the best baseline on the primary metric, if the run recorded one. */
export function comparisonOf(run: RunRecord, modelId: string): Comparison | undefined {
  return run.comparisons?.find(
    (c) => c.model === modelId && c.baseline === run.bestBaseline && c.metric === run.task.primaryMetric,
  );
}
