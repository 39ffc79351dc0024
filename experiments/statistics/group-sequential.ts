import { normalCdf, normalQuantile, normalSf } from './distributions.ts';

/**
 * Two-sided Lan–DeMets O'Brien–Fleming-type spending, α/2 per side: the type-I error spent by
 * information fraction t is α(t) = 2·(2 − 2Φ(z_{1−α/4} / √t)). This is the convention of gsDesign
 * and rpact, giving the published boundaries (4.877, 3.357, 2.680, 2.290, 2.031 for five equal
 * looks at α = 0.05).
 */
export function obrienFlemingSpent(t: number, alpha: number): number {
  if (t <= 0) return 0;
  if (t >= 1) return alpha;
  // 2 − 2Φ(x) = 2·(1 − Φ(x)), computed from the upper tail so that early looks keep their precision.
  return 4 * normalSf(normalQuantile(1 - alpha / 4) / Math.sqrt(t));
}

/**
 * Two-sided critical |z| values at looks with information fractions `fractions` (increasing,
 * in (0, 1]), so that the probability under H0 of first crossing at look k is α(t_k) − α(t_{k−1}).
 * Computed by numerical integration of the Brownian motion's sub-density over the continuation
 * region (Armitage, McPherson & Rowe 1969), Simpson's rule on `gridPoints` points.
 */
export function groupSequentialBoundaries(
  fractions: readonly number[],
  alpha: number,
  gridPoints = 401,
): number[] {
  fractions.forEach((t, i) => {
    if (!(t > 0 && t <= 1) || (i > 0 && t <= fractions[i - 1]!)) {
      throw new RangeError(
        `information fractions must increase within (0, 1]; received ${fractions.join(', ')}`,
      );
    }
  });
  const points = gridPoints % 2 === 1 ? gridPoints : gridPoints + 1;
  const boundaries: number[] = [];
  // Sub-density of W(t_{k−1}) on the continuation region, as grid values and Simpson weights.
  let grid: Float64Array | undefined;
  let density: Float64Array | undefined;
  let weights: Float64Array | undefined;
  let previousT = 0;
  let spent = 0;
  for (const t of fractions) {
    const target = obrienFlemingSpent(t, alpha) - spent;
    const delta = t - previousT;
    const sd = Math.sqrt(delta);
    const crossing = (c: number): number => {
      const edge = c * Math.sqrt(t);
      if (!grid) return 2 * normalSf(c);
      let p = 0;
      for (let i = 0; i < grid.length; i++) {
        const u = grid[i]!;
        p += weights![i]! * density![i]! * (normalCdf((-edge - u) / sd) + normalCdf((u - edge) / sd));
      }
      return p;
    };
    let c: number;
    if (target <= 0) c = 40;
    else {
      let low = 0;
      let high = 40;
      for (let i = 0; i < 100; i++) {
        const mid = (low + high) / 2;
        if (crossing(mid) > target) low = mid;
        else high = mid;
      }
      c = (low + high) / 2;
    }
    boundaries.push(c);
    spent += target;
    // Carry the sub-density of W(t) on (−c√t, c√t) forward to the next look.
    const edge = Math.min(c, 12) * Math.sqrt(t);
    const nextGrid = new Float64Array(points);
    const nextWeights = new Float64Array(points);
    const h = (2 * edge) / (points - 1);
    for (let i = 0; i < points; i++) {
      nextGrid[i] = -edge + i * h;
      nextWeights[i] = (h / 3) * (i === 0 || i === points - 1 ? 1 : i % 2 === 1 ? 4 : 2);
    }
    const nextDensity = new Float64Array(points);
    for (let j = 0; j < points; j++) {
      const w = nextGrid[j]!;
      if (!grid) {
        nextDensity[j] = Math.exp((-w * w) / (2 * t)) / Math.sqrt(2 * Math.PI * t);
        continue;
      }
      let f = 0;
      for (let i = 0; i < grid.length; i++) {
        const z = (w - grid[i]!) / sd;
        f += weights![i]! * density![i]! * Math.exp(-0.5 * z * z);
      }
      nextDensity[j] = f / (sd * Math.sqrt(2 * Math.PI));
    }
    grid = nextGrid;
    weights = nextWeights;
    density = nextDensity;
    previousT = t;
  }
  return boundaries;
}
