import type { z } from 'zod';
import { MlfolioError } from '../portfolio/errors.ts';
import { diverseBatchOrder } from './diverse-batch.ts';
import { keyedUniform, seededRandom, shuffled } from './seeded-random.ts';
import type { LabelItem } from './task-items.ts';
import type { samplingSchema } from './task-spec.ts';
import { uncertainty } from './uncertainty.ts';

export type Sampling = z.output<typeof samplingSchema>;

/** Why an item stands where it does in the queue. */
export type QueueReason = 'evaluation' | 'sampler' | 'gold';

export interface QueueEntry {
  item: string;
  reason: QueueReason;
}

export interface QueueInput {
  items: readonly LabelItem[];
  sampling: Sampling;
  /** Class probabilities per item id (a model's or a label model's); uncertainty samplers need them. */
  probabilities?: ReadonlyMap<string, readonly number[]>;
  /** Items with a known label: shown like others, marked `gold`, never in the evaluation set. */
  gold?: ReadonlySet<string>;
}

/**
 * The order in which items are offered. A fixed share (`evaluationShare`) is drawn at random by
 * the seed alone — the same items whatever the strategy, so sampling strategies are compared on
 * one unbiased evaluation set — and spread evenly through the queue. The rest follow the strategy
 * (most uncertain first; items without probabilities after, at random). Same inputs and seed,
 * same order.
 */
export function buildQueue(input: QueueInput): QueueEntry[] {
  const { items, sampling } = input;
  const gold = input.gold ?? new Set<string>();
  const random = seededRandom(sampling.seed);
  const randomOrder = shuffled(
    items.map((_, i) => i),
    random,
  );
  const evaluationCount = Math.round(sampling.evaluationShare * (items.length - gold.size));
  const evaluation: number[] = [];
  const rest: number[] = [];
  for (const i of randomOrder) {
    if (evaluation.length < evaluationCount && !gold.has(items[i]!.id)) evaluation.push(i);
    else rest.push(i);
  }
  const ordered = orderByStrategy(rest, input);
  const out: QueueEntry[] = [];
  let e = 0;
  let s = 0;
  while (e < evaluation.length || s < ordered.length) {
    // Keep the running share of evaluation items at `evaluationShare`.
    const takeEvaluation =
      e < evaluation.length && (s >= ordered.length || e < (e + s + 1) * sampling.evaluationShare);
    if (takeEvaluation) out.push({ item: items[evaluation[e++]!]!.id, reason: 'evaluation' });
    else {
      const id = items[ordered[s++]!]!.id;
      out.push({ item: id, reason: gold.has(id) ? 'gold' : 'sampler' });
    }
  }
  return out;
}

function orderByStrategy(indices: number[], input: QueueInput): number[] {
  const { strategy, batchSize } = input.sampling;
  if (strategy === 'random') return indices;
  const probabilities = input.probabilities;
  if (!probabilities || probabilities.size === 0) {
    throw new MlfolioError({
      code: 'E_LABEL_SAMPLER_NEEDS_PROBABILITIES',
      message: `The sampling strategy "${strategy}" ranks items by a model's uncertainty, but no item has predicted probabilities.`,
      hint: 'Use sampling.strategy: random until a model (or labelling functions with a label model) gives probabilities.',
    });
  }
  const measure = strategy === 'diverse-batch' ? 'entropy' : strategy;
  const scored: { index: number; uncertainty: number; features: readonly number[] }[] = [];
  const unscored: number[] = [];
  for (const i of indices) {
    const item = input.items[i]!;
    const p = probabilities.get(item.id);
    if (p) scored.push({ index: i, uncertainty: uncertainty(p, measure), features: item.features ?? p });
    else unscored.push(i);
  }
  if (strategy === 'diverse-batch') return [...diverseBatchOrder(scored, batchSize), ...unscored];
  // A stable sort keeps the random order among equally uncertain items.
  return [...scored.sort((a, b) => b.uncertainty - a.uncertainty).map((c) => c.index), ...unscored];
}

/** Whether `item`'s first label by an annotator is followed by a repeat (for intra-annotator agreement). */
export function chosenForSelfOverlap(item: string, sampling: Sampling): boolean {
  return keyedUniform(sampling.seed ^ 0x5e1f, item) < sampling.selfOverlapShare;
}
