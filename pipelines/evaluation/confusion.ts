import { argmax, type Probabilities } from './metrics.ts';

/** counts[outcome][predicted], with the prediction the most probable class (the first on ties). */
export function confusionMatrix(
  probabilities: Probabilities,
  outcomes: readonly number[],
  classes: number,
): number[][] {
  const counts = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  outcomes.forEach((outcome, i) => {
    counts[outcome]![argmax(probabilities[i]!)]!++;
  });
  return counts;
}
