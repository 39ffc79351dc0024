/** Elo ratings for football, after the World Football Elo method (goal-difference multiplier). */
export interface EloParameters {
  k: number;
  /** Rating points added to the home side when computing its expected score. */
  homeAdvantage: number;
  initial: number;
  /** Rating for a team first seen after the first season: usually a promoted, weaker side. */
  newcomer: number;
}

export const defaultEloParameters: EloParameters = {
  k: 20,
  homeAdvantage: 60,
  initial: 1500,
  newcomer: 1420,
};

export function expectedHomeScore(homeRating: number, awayRating: number, homeAdvantage: number): number {
  return 1 / (1 + 10 ** ((awayRating - homeRating - homeAdvantage) / 400));
}

export function goalDifferenceMultiplier(goalDifference: number): number {
  const margin = Math.abs(goalDifference);
  if (margin <= 1) return 1;
  if (margin === 2) return 1.5;
  return (11 + margin) / 8;
}

/** The rating change for the home side; the away side changes by the opposite amount. */
export function eloUpdate(
  homeRating: number,
  awayRating: number,
  homeGoals: number,
  awayGoals: number,
  parameters: EloParameters,
): number {
  const actual = homeGoals > awayGoals ? 1 : homeGoals === awayGoals ? 0.5 : 0;
  const expected = expectedHomeScore(homeRating, awayRating, parameters.homeAdvantage);
  return parameters.k * goalDifferenceMultiplier(homeGoals - awayGoals) * (actual - expected);
}
