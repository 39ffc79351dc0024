/** Holm's step-down adjusted p-values (family-wise error), in the input order. */
export function holmAdjusted(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, index], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[index] = running;
  });
  return adjusted;
}

/** Benjamini–Hochberg adjusted p-values (false discovery rate), in the input order. */
export function benjaminiHochbergAdjusted(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const [p, index] = order[rank]!;
    running = Math.min(running, (m * p) / (rank + 1));
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}

export function adjustPValues(method: 'holm' | 'benjamini-hochberg', pValues: readonly number[]): number[] {
  return method === 'holm' ? holmAdjusted(pValues) : benjaminiHochbergAdjusted(pValues);
}
