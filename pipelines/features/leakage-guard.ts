import { MlfolioError } from '../../portfolio/errors.ts';
import type { MatchRecord } from '../../scrapers/sources/openfootball/index.ts';
import type { FeatureRow } from './match-features.ts';

export const leakageGuardMethod =
  "For evenly spread match days of the test period, every feature was recomputed after removing all later matches and changing every result of that day; the features of that day's matches had to stay identical.";

/** Computes feature rows from date-sorted matches: the pipeline's feature code, or a test double. */
export type Featurise = (matches: readonly MatchRecord[]) => { rows: readonly FeatureRow[] };

export interface LeakageReport {
  probes: { date: string; rows: number }[];
  checkedRows: number;
  checkedValues: number;
}

/**
 * Fails the run if any feature of a row depends on data from that row's date or later. For each
 * probe date D, the features are recomputed from a counterfactual history: every match after D is
 * removed and every match on D gets a different score (goals swapped and raised). A leakage-safe
 * feature of a row dated D cannot change, because everything it may read is untouched; a feature
 * that reads the row's own result, a same-day result or the future does change, and the guard
 * names it. Probe dates are spread evenly over `dates` (the test period's match days).
 */
export function checkNoLookAhead(
  project: string,
  matches: readonly MatchRecord[],
  reference: readonly FeatureRow[],
  featureNames: readonly string[],
  featurise: Featurise,
  options: { probeDates: readonly string[]; probes: number },
): LeakageReport {
  const days = [...new Set(options.probeDates)].sort();
  const chosen = [
    ...new Set(
      Array.from({ length: Math.min(options.probes, days.length) }, (_, p) => {
        const at = options.probes <= 1 ? 0 : Math.round((p * (days.length - 1)) / (options.probes - 1));
        return days[at]!;
      }),
    ),
  ];
  const report: LeakageReport = { probes: [], checkedRows: 0, checkedValues: 0 };
  for (const date of chosen) {
    const counterfactual = matches
      .filter((m) => m.date <= date)
      .map((m) => (m.date === date ? { ...m, homeGoals: m.awayGoals + 3, awayGoals: m.homeGoals } : m));
    const recomputed = featurise(counterfactual).rows.filter((row) => row.date === date);
    const expected = reference.filter((row) => row.date === date);
    const key = (row: FeatureRow) => `${row.league}|${row.homeTeam}|${row.awayTeam}`;
    const byKey = new Map(recomputed.map((row) => [key(row), row]));
    const changed: string[] = [];
    const features = new Set<string>();
    for (const row of expected) {
      const other = byKey.get(key(row));
      for (const name of featureNames) {
        const a = row.features[name as keyof FeatureRow['features']];
        const b = other?.features[name as keyof FeatureRow['features']];
        report.checkedValues++;
        if (!Object.is(a, b)) {
          features.add(name);
          changed.push(`${row.date} ${row.homeTeam}–${row.awayTeam} ${name}: ${a} became ${b}`);
        }
      }
    }
    if (changed.length) {
      throw new MlfolioError({
        code: 'E_FEATURE_LEAKAGE',
        message: `Project "${project}", stage leakage-guard: feature(s) ${[...features].map((f) => `"${f}"`).join(', ')} of matches on ${date} changed when that day's results and every later match were altered, so they read the outcome they predict. ${changed.length} value(s) changed, e.g. ${changed.slice(0, 3).join('; ')}.`,
        hint: 'A feature may only use matches played on earlier dates; fix its computation (see pipelines/features/match-features.ts).',
        exitCode: 5,
      });
    }
    report.probes.push({ date, rows: expected.length });
    report.checkedRows += expected.length;
  }
  return report;
}
