import { createHash } from 'node:crypto';
import { MlfolioError } from '../portfolio/errors.ts';
import type { Experiment } from './experiment-spec.ts';

/** Buckets per hash space: an arm's share is resolved to 0.01%. */
export const bucketCount = 10_000;

/**
 * The bucket of `unit` in [0, 10000): the first 4 bytes of SHA-256 over the NUL-joined
 * `seed`, `salt` and `unit`, scaled (not taken modulo, which would favour low buckets).
 * The golden vectors in experiments/assignment-vectors.json pin this exactly.
 */
export function bucketOf(seed: string, salt: string, unit: string): number {
  const digest = createHash('sha256').update(`${seed}\0${salt}\0${unit}`).digest();
  return Math.floor((digest.readUInt32BE(0) * bucketCount) / 2 ** 32);
}

/** Where a unit goes. `holdout` and `outside-layer` units are not in the experiment: served by control, unlogged. */
export type Assignment =
  | { status: 'assigned'; arm: string; bucket: number }
  | { status: 'holdout' }
  | { status: 'outside-layer' };

/** The part of an experiment that decides assignment (a subset, so serving can hold just this). */
export type AssignmentPlan = Pick<Experiment, 'key' | 'seed' | 'arms' | 'layer' | 'holdoutPercent'>;

/**
 * Assigns `unit` deterministically: the same seed, key and unit always give the same arm, across
 * restarts and machines. First the holdout (a hash salted `holdout`, shared by every experiment
 * with the seed), then the layer (salted `layer:<name>`: experiments in disjoint ranges of one
 * layer never share a unit), then the arm (salted with the key, independent of the other two).
 */
export function assign(plan: AssignmentPlan, unit: string): Assignment {
  if (unit.length === 0) {
    throw new MlfolioError({
      code: 'E_UNIT_MISSING',
      message: `Experiment "${plan.key}" received a request without a unit id.`,
      hint: 'Send the unit id (the fixture id or the client id) with the request.',
    });
  }
  if (plan.holdoutPercent > 0 && bucketOf(plan.seed, 'holdout', unit) < plan.holdoutPercent * 100) {
    return { status: 'holdout' };
  }
  const layerBucket = bucketOf(plan.seed, `layer:${plan.layer.name}`, unit);
  if (layerBucket < plan.layer.from * 100 || layerBucket >= plan.layer.to * 100) {
    return { status: 'outside-layer' };
  }
  const bucket = bucketOf(plan.seed, plan.key, unit);
  let cumulative = 0;
  for (const arm of plan.arms) {
    cumulative += arm.traffic * 100;
    if (bucket < cumulative) return { status: 'assigned', arm: arm.model, bucket };
  }
  // Only reachable through rounding when the split sums to 100 within 1e-9.
  return { status: 'assigned', arm: plan.arms.at(-1)!.model, bucket };
}

/**
 * Experiments that would share units: same seed and layer, overlapping ranges. Returns each
 * overlapping pair's keys; an empty list means they stay apart.
 */
export function overlappingExperiments(plans: readonly AssignmentPlan[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i < plans.length; i++) {
    for (let j = i + 1; j < plans.length; j++) {
      const a = plans[i]!;
      const b = plans[j]!;
      if (
        a.seed === b.seed &&
        a.layer.name === b.layer.name &&
        a.layer.from < b.layer.to &&
        b.layer.from < a.layer.to
      ) {
        pairs.push([a.key, b.key]);
      }
    }
  }
  return pairs;
}
