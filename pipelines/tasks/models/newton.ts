/**
 * Damped Newton's method for the smooth convex objectives of the linear models (penalised mean
 * negative log-likelihoods): a Cholesky solve of the Hessian per iteration, backtracking until
 * the objective falls enough (Armijo), and a final full step once half the Newton decrement
 * gᵀH⁻¹g — the predicted fall of the objective — is below the tolerance. Deterministic; no Node imports.
 */
import { MlfolioError } from '../../../portfolio/errors.ts';

/**
 * Below this Newton decrement (relative to the objective) the predicted fall is within a few
 * hundred ulps of the objective, where a line search can no longer measure progress.
 */
const roundingDecrement = 1e-13;

export interface NewtonProblem {
  /** Number of parameters. */
  size: number;
  /**
   * The objective at `theta`, writing its gradient into `gradient` and its Hessian (row-major,
   * size × size, both triangles) into `hessian`, which arrive zeroed. `known`, when given, is the
   * objective at `theta` from the latest `objective` call, which was at this same `theta`: whatever
   * that call left behind (predictions, residuals) is current and need not be recomputed.
   */
  evaluate(theta: Float64Array, gradient: Float64Array, hessian: Float64Array, known?: number): number;
  /** The objective alone; +∞ where `theta` is outside the domain (e.g. unordered thresholds). */
  objective(theta: Float64Array): number;
}

export interface NewtonOptions {
  /** Names the model in errors, e.g. `ridge (regression)`. */
  model: string;
  maxIterations: number;
  tolerance: number;
  /** What to do when the Hessian is singular (e.g. drop a constant or duplicated feature). */
  singularHint: string;
}

export interface NewtonResult {
  theta: Float64Array;
  iterations: number;
  objective: number;
  /** The last Hessian, Cholesky-factored (lower triangle, row-major): reusable for variances. */
  cholesky: Float64Array;
}

export function newtonMinimise(
  problem: NewtonProblem,
  start: Float64Array,
  options: NewtonOptions,
): NewtonResult {
  const p = problem.size;
  let theta = Float64Array.from(start);
  const gradient = new Float64Array(p);
  const hessian = new Float64Array(p * p);
  const step = new Float64Array(p);
  const candidate = new Float64Array(p);
  let value = Number.NaN;
  let known: number | undefined;
  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    gradient.fill(0);
    hessian.fill(0);
    value = problem.evaluate(theta, gradient, hessian, known);
    if (!Number.isFinite(value)) {
      throw new MlfolioError({
        code: 'E_MODEL_NOT_CONVERGED',
        message: `${options.model}: the objective is not finite (${value}) at iteration ${iteration}.`,
        hint: 'Check the features for extreme values, standardise or cap them, or raise l2.',
      });
    }
    if (!choleskyInPlace(hessian, p)) {
      throw new MlfolioError({
        code: 'E_MODEL_SINGULAR',
        message: `${options.model}: the Hessian is singular at iteration ${iteration}, so the fit has no unique solution.`,
        hint: options.singularHint,
      });
    }
    choleskySolve(hessian, p, gradient, step);
    let decrement = 0;
    for (let a = 0; a < p; a++) decrement += gradient[a]! * step[a]!;
    // Close to the optimum the full Newton step squares the error, and its fall may be too small
    // for a line search to measure against the objective's rounding: take it and stop.
    if (decrement / 2 <= options.tolerance || decrement < roundingDecrement * Math.max(1, Math.abs(value))) {
      for (let a = 0; a < p; a++) theta[a] = theta[a]! - step[a]!;
      return { theta, iterations: iteration, objective: value, cholesky: hessian };
    }
    let scale = 1;
    known = undefined;
    for (let halving = 0; halving < 50; halving++) {
      for (let a = 0; a < p; a++) candidate[a] = theta[a]! - scale * step[a]!;
      const next = problem.objective(candidate);
      if (next <= value - 1e-4 * scale * decrement) {
        known = next;
        break;
      }
      scale /= 2;
    }
    if (known === undefined) break;
    theta = Float64Array.from(candidate);
  }
  throw new MlfolioError({
    code: 'E_MODEL_NOT_CONVERGED',
    message: `${options.model}: Newton's method did not converge in ${options.maxIterations} iterations (last objective ${value}).`,
    hint: 'Raise l2 (the classes may be perfectly separable, or a feature may be almost a copy of another), or raise maxIterations.',
  });
}

/**
 * Factors a symmetric matrix (row-major) as L·Lᵀ in place, L in the lower triangle. Returns false
 * when it is not numerically positive definite (a pivot below 1e-12 of the largest diagonal).
 */
export function choleskyInPlace(a: Float64Array, n: number): boolean {
  let largest = 0;
  for (let i = 0; i < n; i++) largest = Math.max(largest, Math.abs(a[i * n + i]!));
  const floor = 1e-12 * Math.max(largest, 1e-300);
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * n + k]! ** 2;
    if (!(diagonal > floor)) return false;
    const root = Math.sqrt(diagonal);
    a[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= a[i * n + k]! * a[j * n + k]!;
      a[i * n + j] = sum / root;
    }
  }
  return true;
}

/** Solves (L·Lᵀ)·x = b for the factor left by `choleskyInPlace`, writing x into `out`. */
export function choleskySolve(l: Float64Array, n: number, b: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= l[i * n + k]! * out[k]!;
    out[i] = sum / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = out[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k * n + i]! * out[k]!;
    out[i] = sum / l[i * n + i]!;
  }
}
