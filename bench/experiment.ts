/**
 * `npm run bench:experiment`: simulated experiments with daily looks, analysed with the shipped
 * statistics. A/A experiments measure each stopping rule's false-positive rate (fixed horizon,
 * naive daily peeking, Lan–DeMets O'Brien–Fleming at every daily look, always-valid mSPRT);
 * experiments with the planned effect injected measure their power; a covariate of known
 * correlation measures CUPED's variance reduction and its power. Rates carry 95% Wilson
 * intervals over the simulated experiments. BENCH_EXPERIMENTS (default 1000) sets their number.
 * Last, the serving-side cost per request: assigning a unit, and appending its exposure to the log
 * with a plain synchronous write (survives SIGKILL) against one followed by fsync (survives power
 * loss), side by side.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assign } from '../experiments/assignment.ts';
import { type Exposure, ExposureLog } from '../experiments/exposure-log.ts';
import { seededRandom } from '../experiments/seeded-random.ts';
import { mixtureLikelihoodRatio, mixtureVariance } from '../experiments/statistics/always-valid.ts';
import { normalQuantile, studentTTwoSided } from '../experiments/statistics/distributions.ts';
import { groupSequentialBoundaries } from '../experiments/statistics/group-sequential.ts';
import { unitsNeeded } from '../experiments/statistics/power.ts';
import { machineLine } from './machine.ts';

const experiments = Number(process.env.BENCH_EXPERIMENTS ?? 1000);
const days = 14;
const alpha = 0.05;
const targetPower = 0.8;
// The metric has unit variance; the planned effect is a tenth of a standard deviation.
const effect = 0.1;
const rho = 0.7;
const plannedUnits = unitsNeeded({ variance: 1, alpha, design: 'ab' }, effect, targetPower);
const unitsPerDay = Math.ceil(plannedUnits / days);
const boundaries = groupSequentialBoundaries(
  Array.from({ length: days }, (_, k) => (k + 1) / days),
  alpha,
);
// The mixture is tuned to the planned horizon's variance of the difference (known σ = 1 here).
const tau2 = mixtureVariance(4 / (unitsPerDay * days), alpha);

interface Sums {
  n: number;
  y: number;
  yy: number;
  x: number;
  xx: number;
  xy: number;
}
const empty = (): Sums => ({ n: 0, y: 0, yy: 0, x: 0, xx: 0, xy: 0 });

interface Outcome {
  fixed: boolean;
  peeking: boolean;
  groupSequential: boolean;
  alwaysValid: boolean;
  cupedFixed: boolean;
  varianceReduction: number;
  /** Day the group-sequential rule stopped (days + 1 if never). */
  stopDay: number;
}

function welch(c: Sums, t: Sums): { z: number; se2: number; p: number } {
  const mc = c.y / c.n;
  const mt = t.y / t.n;
  const vc = (c.yy - c.n * mc * mc) / (c.n - 1) / c.n;
  const vt = (t.yy - t.n * mt * mt) / (t.n - 1) / t.n;
  const se2 = vc + vt;
  const df = (se2 * se2) / ((vc * vc) / (c.n - 1) + (vt * vt) / (t.n - 1));
  const z = (mt - mc) / Math.sqrt(se2);
  return { z, se2, p: studentTTwoSided(z, df) };
}

/** CUPED at the horizon from sufficient statistics: θ pooled, Welch on the adjusted metric. */
function cuped(c: Sums, t: Sums): { p: number; reduction: number } {
  const n = c.n + t.n;
  const mx = (c.x + t.x) / n;
  const my = (c.y + t.y) / n;
  const sxx = c.xx + t.xx - n * mx * mx;
  const sxy = c.xy + t.xy - n * mx * my;
  const syy = c.yy + t.yy - n * my * my;
  const theta = sxy / sxx;
  // Adjusted y' = y − θ(x − x̄): its sums follow from the raw sums.
  const adjust = (s: Sums): Sums => {
    const y = s.y - theta * (s.x - s.n * mx);
    const yy = s.yy - 2 * theta * (s.xy - mx * s.y) + theta * theta * (s.xx - 2 * mx * s.x + s.n * mx * mx);
    return { ...s, y, yy };
  };
  const adjustedTotal = syy - 2 * theta * sxy + theta * theta * sxx;
  return { p: welch(adjust(c), adjust(t)).p, reduction: 1 - adjustedTotal / syy };
}

function simulate(seed: number, trueEffect: number): Outcome {
  const rng = seededRandom(seed);
  const c = empty();
  const t = empty();
  let peeking = false;
  let groupSequential = false;
  let stopDay = days + 1;
  let avP = 1;
  const noise = Math.sqrt(1 - rho * rho);
  let result: ReturnType<typeof welch> | undefined;
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < unitsPerDay; i++) {
      const arm = rng.uniform() < 0.5 ? c : t;
      const x = rng.normal();
      const y = rho * x + noise * rng.normal() + (arm === t ? trueEffect : 0);
      arm.n++;
      arm.y += y;
      arm.yy += y * y;
      arm.x += x;
      arm.xx += x * x;
      arm.xy += x * y;
    }
    result = welch(c, t);
    if (result.p < alpha) peeking = true;
    if (!groupSequential && Math.abs(result.z) >= boundaries[day]!) {
      groupSequential = true;
      stopDay = day + 1;
    }
    const difference = result.z * Math.sqrt(result.se2);
    avP = Math.min(avP, 1 / mixtureLikelihoodRatio(difference, result.se2, tau2));
  }
  const final = cuped(c, t);
  return {
    fixed: result!.p < alpha,
    peeking,
    groupSequential,
    alwaysValid: avP < alpha,
    cupedFixed: final.p < alpha,
    varianceReduction: final.reduction,
    stopDay,
  };
}

function wilson(successes: number, n: number): [number, number] {
  const z = normalQuantile(0.975);
  const p = successes / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z / (1 + (z * z) / n)) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [centre - half, centre + half];
}

const started = performance.now();
const aa = Array.from({ length: experiments }, (_, i) => simulate(1_000_000 + i, 0));
const ab = Array.from({ length: experiments }, (_, i) => simulate(2_000_000 + i, effect));
const seconds = (performance.now() - started) / 1000;

const rate = (list: Outcome[], key: keyof Outcome) => {
  const k = list.filter((o) => o[key] === true).length;
  const [low, high] = wilson(k, list.length);
  return `${((100 * k) / list.length).toFixed(1)}% [${(100 * low).toFixed(1)}, ${(100 * high).toFixed(1)}]`;
};
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const reductions = aa.map((o) => o.varianceReduction);
const stopped = ab.filter((o) => o.groupSequential);

console.log(`Machine: ${machineLine()}`);
console.log(
  `${experiments} A/A and ${experiments} A/B experiments, ${days} daily looks, ${unitsPerDay * days} units each (${unitsPerDay}/day); ` +
    `planned for an effect of ${effect} σ at ${100 * targetPower}% power, α = ${alpha} two-sided (${plannedUnits} units needed); ${seconds.toFixed(1)} s`,
);
console.log('');
console.log(
  '| method | A/A false-positive rate [95% interval] | power at the planned effect [95% interval] |',
);
console.log('|---|---|---|');
console.log(
  `| fixed horizon (Welch t, one look at day ${days}) | ${rate(aa, 'fixed')} | ${rate(ab, 'fixed')} |`,
);
console.log(
  `| naive peeking (Welch t every day, stop at p < ${alpha}) | ${rate(aa, 'peeking')} | ${rate(ab, 'peeking')} |`,
);
console.log(
  `| group-sequential, Lan–DeMets O'Brien–Fleming, ${days} looks | ${rate(aa, 'groupSequential')} | ${rate(ab, 'groupSequential')} |`,
);
console.log(`| always-valid mSPRT, daily looks | ${rate(aa, 'alwaysValid')} | ${rate(ab, 'alwaysValid')} |`);
console.log(
  `| fixed horizon with CUPED (ρ = ${rho}) | ${rate(aa, 'cupedFixed')} | ${rate(ab, 'cupedFixed')} |`,
);
console.log('');
console.log(
  `CUPED variance reduction at ρ = ${rho}: mean ${(100 * mean(reductions)).toFixed(1)}% (theory ρ² = ${(100 * rho * rho).toFixed(1)}%), ` +
    `5th–95th percentile ${(100 * quantile(reductions, 0.05)).toFixed(1)}–${(100 * quantile(reductions, 0.95)).toFixed(1)}% across experiments`,
);
console.log(
  `Group-sequential stops with the effect present: mean day ${mean(stopped.map((o) => o.stopDay)).toFixed(1)} of ${days} (${stopped.length} experiments stopped)`,
);
console.log(`Group-sequential boundaries |z|: ${boundaries.map((b) => b.toFixed(2)).join(', ')}`);

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

// Serving-side cost per request, measured on this machine.
const costUnits = 20_000;
const plan = {
  key: 'bench',
  seed: 'mlfolio',
  holdoutPercent: 5,
  layer: { name: 'default', from: 0, to: 100 },
  arms: [
    { model: 'control', control: true, traffic: 50 },
    { model: 'treatment', control: false, traffic: 50 },
  ],
};
let assigned = 0;
const assignStart = performance.now();
for (let i = 0; i < costUnits; i++) if (assign(plan, `unit-${i}`).status === 'assigned') assigned++;
const assignMicros = ((performance.now() - assignStart) * 1000) / costUnits;
const directory = mkdtempSync(join(tmpdir(), 'mlfolio-bench-exposures-'));
const exposure = (i: number): Exposure => ({
  experiment: 'bench',
  unit: `unit-${i}`,
  arm: 'treatment',
  role: 'served',
  at: new Date(1_772_323_200_000 + i).toISOString(),
  modelVersion: 'run-1/treatment',
  featuresAsOf: '2026-02-28T00:00:00.000Z',
  prediction: { probabilities: { H: 0.45, D: 0.27, A: 0.28 } },
  covariates: { baseline: 0.61 },
  latencyMs: 0.4,
});
const appendCost = (fsync: boolean, n: number): number => {
  const log = ExposureLog.open(join(directory, `${fsync ? 'fsync' : 'plain'}.jsonl`), { fsync });
  const start = performance.now();
  for (let i = 0; i < n; i++) log.append([exposure(i)]);
  const micros = ((performance.now() - start) * 1000) / n;
  log.close();
  return micros;
};
const plainMicros = appendCost(false, costUnits);
const fsyncMicros = appendCost(true, 2_000);
rmSync(directory, { recursive: true, force: true });
console.log('');
console.log(
  `Per request: assignment ${assignMicros.toFixed(1)} µs (${assigned} of ${costUnits} units assigned, 5% held out); ` +
    `exposure append ${plainMicros.toFixed(1)} µs with a synchronous write, ${fsyncMicros.toFixed(0)} µs with fsync ` +
    `(${(fsyncMicros / plainMicros).toFixed(0)}× slower)`,
);
