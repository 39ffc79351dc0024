/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence everywhere. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Fills `out` with `Math.floor(random() * n)` for successive draws of `seededRandom(seed)`: the same
 * integers, bit for bit, without a function call per draw (the bootstrap draws millions).
 */
export function fillSeededIndices(seed: number, n: number, out: Uint32Array): void {
  let state = seed >>> 0;
  for (let j = 0; j < out.length; j++) {
    // The body of seededRandom's generator, inlined.
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[j] = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  }
}

/** Fisher–Yates shuffle of 0..n−1 driven by `random`. */
export function shuffledIndices(n: number, random: () => number): number[] {
  const indices = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [indices[i], indices[j]] = [indices[j]!, indices[i]!];
  }
  return indices;
}
