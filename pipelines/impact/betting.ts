import { bootstrapStatistic } from '../evaluation/bootstrap.ts';
import type { Estimate } from '../runs/run-record.ts';
import type { Odds } from './football-data-csv.ts';

export interface BettingResult {
  /** Always true: a replay of past matches at past prices, not a forecast of future profit. */
  retrospective: true;
  label: string;
  bookmaker: string;
  matches: number;
  bets: number;
  staked: number;
  profit: number;
  /** Profit per unit staked over the bets placed, with a match-bootstrap interval. */
  returnOnStake: Estimate;
  /**
   * The mean bookmaker margin (overround − 1): the edge over the market's prices a forecaster
   * needs just to break even when betting at random.
   */
  breakEvenEdge: number;
  /** The minimum expected return (p × odds − 1) a bet needed to be placed. */
  edgeThreshold: number;
}

/** The market's probabilities: inverse odds normalised to sum to 1 (margin removed proportionally). */
export function impliedProbabilities(odds: Odds): number[] {
  const inverse = odds.map((o) => 1 / o);
  const total = inverse.reduce((a, b) => a + b, 0);
  return inverse.map((v) => v / total);
}

/**
 * Simulates a flat-stake value-betting policy: for each match, stake `stake` on the outcome with
 * the highest expected return p × odds − 1 if that exceeds `edge`; otherwise skip the match.
 * The return on stake and its interval are computed by resampling matches (bets and skips alike).
 */
export function simulateBetting(
  forecasts: readonly (readonly number[])[],
  odds: readonly Odds[],
  outcomes: readonly number[],
  options: { edge: number; stake: number; bookmaker: string; seed: number; resamples: number },
): BettingResult {
  const n = outcomes.length;
  const staked = new Float64Array(n);
  const returned = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = forecasts[i]!;
    const o = odds[i]!;
    let pick = -1;
    let bestValue = options.edge;
    for (let k = 0; k < o.length; k++) {
      const expected = p[k]! * o[k]! - 1;
      if (expected > bestValue) {
        bestValue = expected;
        pick = k;
      }
    }
    if (pick < 0) continue;
    staked[i] = options.stake;
    returned[i] = pick === outcomes[i] ? options.stake * o[pick]! : 0;
  }
  const ratio = (rows: ArrayLike<number>) => {
    let s = 0;
    let r = 0;
    for (let j = 0; j < rows.length; j++) {
      s += staked[rows[j]!]!;
      r += returned[rows[j]!]!;
    }
    return s ? (r - s) / s : 0;
  };
  const totalStaked = staked.reduce((a, b) => a + b, 0);
  const totalReturned = returned.reduce((a, b) => a + b, 0);
  const margins = odds.map((o) => o.reduce((sum, v) => sum + 1 / v, 0) - 1);
  return {
    retrospective: true,
    label: 'Retrospective simulation: past matches replayed at the pre-match prices recorded in the data',
    bookmaker: options.bookmaker,
    matches: n,
    bets: staked.filter((s) => s > 0).length,
    staked: totalStaked,
    profit: totalReturned - totalStaked,
    returnOnStake: bootstrapStatistic(n, ratio, { seed: options.seed, resamples: options.resamples }),
    breakEvenEdge: margins.reduce((a, b) => a + b, 0) / Math.max(1, n),
    edgeThreshold: options.edge,
  };
}
