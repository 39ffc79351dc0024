/**
 * Opt-in: replays the betting policy over a real football-data.co.uk results file, which is not in
 * the repository (licence): `node bench/betting-replay.ts [file.csv] [bookmaker]`. Elo ratings are
 * built through the season; the Elo ordered logit is fitted on the first half and bets on the
 * second half where its expected return beats a 5% edge. A retrospective simulation, not advice.
 */
import { readFileSync } from 'node:fs';
import { computeMatchFeatures } from '../pipelines/features/match-features.ts';
import { impliedProbabilities, simulateBetting } from '../pipelines/impact/betting.ts';
import { readFootballDataCsv } from '../pipelines/impact/football-data-csv.ts';
import { predictProbabilities } from '../pipelines/models/artifact.ts';
import { fitEloBaseline } from '../pipelines/models/baselines.ts';
import { seasonOf } from '../scrapers/sources/openfootball/match-record.ts';

const file = process.argv[2] ?? '/work/shared/data/csv/football-data_E0_2024-25_with_odds.csv';
const bookmaker = process.argv[3] ?? 'Avg';
const table = readFootballDataCsv(readFileSync(file, 'utf8'), file, bookmaker);
const matches = table.matches
  .map((m) => ({ ...m, season: seasonOf(m.date) }))
  .sort((a, b) => a.date.localeCompare(b.date));
const { rows } = computeMatchFeatures(matches);
const half = Math.floor(rows.length / 2);
const elo = fitEloBaseline({
  rows: rows.slice(0, half).map((r) => r.features),
  outcomes: rows.slice(0, half).map((r) => r.outcome),
  featureNames: ['elo_diff'],
});
const test = rows.slice(half);
const odds = matches.slice(half).map((m) => m.odds);
const outcomes = test.map((r) => r.outcome);
const options = { edge: 0.05, stake: 1, bookmaker, seed: 42, resamples: 1000 };
const policies = {
  'Elo ordered logit': test.map((r) => predictProbabilities(elo, r.features)),
  'the market itself (control: never finds an edge)': odds.map(impliedProbabilities),
};
console.log(
  `${file}: ${table.matches.length} matches, ${table.excluded.length} excluded; betting on the last ${test.length}`,
);
for (const [name, forecasts] of Object.entries(policies)) {
  const r = simulateBetting(forecasts, odds, outcomes, options);
  const pct = (v: number | undefined) => `${((v ?? 0) * 100).toFixed(1)}%`;
  console.log(
    `${name}: ${r.bets} bets, staked ${r.staked}, profit ${r.profit.toFixed(2)}, return on stake ${pct(r.returnOnStake.value)} (95% CI ${pct(r.returnOnStake.lower)} to ${pct(r.returnOnStake.upper)}); break-even edge (mean margin) ${pct(r.breakEvenEdge)}. ${r.label}.`,
  );
}
