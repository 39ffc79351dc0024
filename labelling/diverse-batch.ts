/**
 * Orders candidates in batches that are uncertain and spread out: each batch is built by
 * uncertainty-weighted k-center greedy over a pool of the most uncertain remaining candidates
 * (`poolFactor` × `batchSize`) — first the most uncertain, then repeatedly the candidate with the
 * largest uncertainty × distance to everything already chosen (in this or earlier batches of the
 * pool). Features are standardised per dimension first. Ties keep the input order, which the caller
 * makes random, so the result is deterministic.
 */
export function diverseBatchOrder(
  candidates: readonly { index: number; uncertainty: number; features: readonly number[] }[],
  batchSize: number,
  poolFactor = 10,
): number[] {
  const n = candidates.length;
  if (n === 0) return [];
  const dims = candidates[0]!.features.length;
  const mean = new Float64Array(dims);
  const sd = new Float64Array(dims);
  for (const c of candidates) for (let d = 0; d < dims; d++) mean[d]! += (c.features[d] ?? 0) / n;
  for (const c of candidates)
    for (let d = 0; d < dims; d++) sd[d]! += ((c.features[d] ?? 0) - mean[d]!) ** 2 / n;
  for (let d = 0; d < dims; d++) sd[d] = Math.sqrt(sd[d]!) || 1;
  const z = candidates.map((c) => Float64Array.from(c.features, (v, d) => (v - mean[d]!) / sd[d]!));
  const byUncertainty = candidates
    .map((_, i) => i)
    .sort((a, b) => candidates[b]!.uncertainty - candidates[a]!.uncertainty || a - b);
  const order: number[] = [];
  const taken = new Uint8Array(n);
  let next = 0;
  while (order.length < n) {
    const pool: number[] = [];
    for (let i = next; i < n && pool.length < batchSize * poolFactor; i++) {
      const c = byUncertainty[i]!;
      if (!taken[c]) pool.push(c);
    }
    const minDistance = new Float64Array(pool.length).fill(Number.POSITIVE_INFINITY);
    for (let picked = 0; picked < batchSize && picked < pool.length; picked++) {
      let best = -1;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let p = 0; p < pool.length; p++) {
        const c = pool[p]!;
        if (taken[c]) continue;
        const weight = candidates[c]!.uncertainty + 1e-12;
        const score = picked === 0 ? weight : weight * minDistance[p]!;
        if (score > bestScore) {
          bestScore = score;
          best = p;
        }
      }
      const chosen = pool[best]!;
      taken[chosen] = 1;
      order.push(candidates[chosen]!.index);
      const zc = z[chosen]!;
      for (let p = 0; p < pool.length; p++) {
        const zp = z[pool[p]!]!;
        let d2 = 0;
        for (let d = 0; d < dims; d++) d2 += (zp[d]! - zc[d]!) ** 2;
        const d = Math.sqrt(d2);
        if (d < minDistance[p]!) minDistance[p] = d;
      }
    }
    while (next < n && taken[byUncertainty[next]!]) next++;
  }
  return order;
}
