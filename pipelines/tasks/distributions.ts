/**
 * The standard normal and Poisson distributions the predictive forecasts are made of: densities,
 * distribution functions and quantiles, accurate to about 1e-14 (enough to reproduce scipy's values
 * in golden tests). Pure functions, no Node imports: prediction code in the browser demo uses them.
 */

const sqrt2 = Math.SQRT2;
const inverseSqrtPi = 1 / Math.sqrt(Math.PI);

/** Density of the standard normal at `z`. */
export function normalPdf(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** P(Z ≤ z) for a standard normal Z. */
export function normalCdf(z: number): number {
  return z >= 0 ? 1 - 0.5 * erfc(z / sqrt2) : 0.5 * erfc(-z / sqrt2);
}

/**
 * The z with P(Z ≤ z) = p, for 0 < p < 1: a rough logistic start refined by Newton steps on the
 * accurate distribution function (monotone and smooth, so a handful of steps reach full precision).
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1))
    throw new RangeError(`Expected a probability strictly between 0 and 1, but got ${p}.`);
  if (p === 0.5) return 0;
  // Work in the lower tail, where the distribution function has full relative precision.
  const lower = Math.min(p, 1 - p);
  let z = Math.log(lower / (1 - lower)) / 1.702;
  for (let step = 0; step < 60; step++) {
    const error = normalCdf(z) - lower;
    const next = z - error / Math.max(normalPdf(z), 1e-300);
    // Newton from the logistic start can overshoot in the far tail; halve back towards z then.
    const bounded = next > 0 ? z / 2 : next;
    if (Math.abs(bounded - z) <= 1e-15 * Math.max(1, Math.abs(z))) {
      z = bounded;
      break;
    }
    z = bounded;
  }
  return p < 0.5 ? z : -z;
}

/**
 * The complementary error function for x ≥ 0: the all-positive power series of erf below 2.5
 * (no cancellation between terms), Lentz's continued fraction above (it converges fast there).
 */
function erfc(x: number): number {
  if (x < 2.5) {
    // erf(x) = 2/√π · e^{−x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1))
    let term = x;
    let sum = x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x * x) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    return 1 - 2 * inverseSqrtPi * Math.exp(-x * x) * sum;
  }
  // erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + 2/(x + …)))))
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? tiny : d;
    c = x + a / c;
    c = c === 0 ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return (inverseSqrtPi * Math.exp(-x * x)) / f;
}

/** log P(N = k) for N ~ Poisson(mean), k a non-negative integer. */
export function poissonLogPmf(k: number, mean: number): number {
  if (mean === 0) return k === 0 ? 0 : Number.NEGATIVE_INFINITY;
  return k * Math.log(mean) - mean - logFactorial(k);
}

/**
 * P(N ≤ k) for N ~ Poisson(mean), summed term by term in log space so that large means (where
 * e^{−mean} underflows) stay exact.
 */
export function poissonCdf(k: number, mean: number): number {
  if (k < 0) return 0;
  let total = 0;
  let logTerm = -mean;
  const logMean = Math.log(mean);
  for (let j = 0; j <= k; j++) {
    if (j > 0) logTerm += logMean - Math.log(j);
    total += Math.exp(logTerm);
  }
  return Math.min(1, total);
}

/** The smallest k with P(N ≤ k) ≥ p, for N ~ Poisson(mean) and 0 < p < 1 (scipy's `poisson.ppf`). */
export function poissonQuantile(p: number, mean: number): number {
  if (!(p > 0 && p < 1))
    throw new RangeError(`Expected a probability strictly between 0 and 1, but got ${p}.`);
  if (mean === 0) return 0;
  let total = 0;
  let logTerm = -mean;
  const logMean = Math.log(mean);
  // A relative tolerance so that a cumulative sum a rounding error below p does not step one too far.
  const target = p * (1 - 1e-12);
  for (let k = 0; ; k++) {
    if (k > 0) logTerm += logMean - Math.log(k);
    total += Math.exp(logTerm);
    if (total >= target || k > mean + 50 * Math.sqrt(mean) + 50) return k;
  }
}

const logFactorials: number[] = [0];

/** log(k!) for a non-negative integer k, exact sums for small k and Stirling's series beyond. */
function logFactorial(k: number): number {
  if (k < 256) {
    for (let j = logFactorials.length; j <= k; j++) logFactorials[j] = logFactorials[j - 1]! + Math.log(j);
    return logFactorials[k]!;
  }
  const n = k + 1;
  return (
    (n - 0.5) * Math.log(n) -
    n +
    0.5 * Math.log(2 * Math.PI) +
    1 / (12 * n) -
    1 / (360 * n ** 3) +
    1 / (1260 * n ** 5)
  );
}
